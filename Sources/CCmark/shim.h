#ifndef DRILLBOOK_CCMARK_SHIM_H
#define DRILLBOOK_CCMARK_SHIM_H
#include <cmark.h>
#endif
