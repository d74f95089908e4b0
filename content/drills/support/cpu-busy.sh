#!/bin/sh
# Prints the share of CPU time (in %) spent busy over the next second, from /proc/stat.
read -r _ u1 n1 s1 i1 w1 q1 sq1 st1 _ < /proc/stat
sleep 1
read -r _ u2 n2 s2 i2 w2 q2 sq2 st2 _ < /proc/stat
busy=$(( (u2 + n2 + s2 + q2 + sq2 + st2) - (u1 + n1 + s1 + q1 + sq1 + st1) ))
idle=$(( (i2 + w2) - (i1 + w1) ))
total=$(( busy + idle ))
[ "$total" -gt 0 ] || { echo 0; exit 0; }
echo $(( 100 * busy / total ))
