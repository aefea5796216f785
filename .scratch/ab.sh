#!/bin/bash
# usage: ab.sh "ENV_A" "ENV_B" workloads rounds reps
cd /work/main; export PATH=$PWD/.tools/node_modules/.bin:$PATH
for r in $(seq 1 $4); do
  a=$(env $1 TF_CPP_MIN_LOG_LEVEL=3 deno run -A .scratch/quick.ts $3 $5 | sed 's/: min.*med/ /;s/ max.*//' | tr '\n' ' ')
  sleep 0.5
  b=$(env $2 TF_CPP_MIN_LOG_LEVEL=3 deno run -A .scratch/quick.ts $3 $5 | sed 's/: min.*med/ /;s/ max.*//' | tr '\n' ' ')
  echo "A: $a | B: $b"
done
