#ifndef DRILLBOOK_CCURL_SHIM_H
#define DRILLBOOK_CCURL_SHIM_H
// The option setters and info getters of libcurl are C variadic functions, which Swift cannot call:
// one typed wrapper per argument type. Nothing else lives here.
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

typedef size_t (*drillbook_curl_write_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode drillbook_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode drillbook_curl_set_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode drillbook_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode drillbook_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode drillbook_curl_set_list(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode drillbook_curl_set_write_function(CURL *handle, drillbook_curl_write_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}
static inline CURLcode drillbook_curl_get_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode drillbook_curl_get_offset(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLMcode drillbook_curl_multi_set_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}
/// The finished transfer a multi handle message is about, and its result (NULL when not done).
static inline CURL *drillbook_curl_done(CURLMsg *message, CURLcode *result) {
    if (message->msg != CURLMSG_DONE) return NULL;
    *result = message->data.result;
    return message->easy_handle;
}
#endif
