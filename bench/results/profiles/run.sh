#!/bin/bash
# Profiles the silo during the GetJourney phase (after its echo and warm-up) and during the UpdateBlocker phase.
cd /work/wt-perf
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
tag=$1
dotnet run -c Release --no-build --project bench/LoadGenerator -- --out /tmp/perfprof/api-$tag.md --json /tmp/perfprof/e2e-$tag.json > /tmp/perfprof/out-$tag.log 2>&1 &
LG=$!
until grep -q "^Setup:" /tmp/perfprof/out-$tag.log; do sleep 0.5; kill -0 $LG 2>/dev/null || exit 1; done
PID=$(pgrep -f "wt-perf/src/Silo/bin/Release/net10.0/CareTwin.Silo.dll" | head -1)
# GetJourney starts once the floor rungs are printed (the last is SayAudited).
until grep -q "(SayAudited)" /tmp/perfprof/out-$tag.log; do sleep 0.2; done
sleep 2
perf record -F 499 -g -p $PID -o /tmp/perfprof/getjourney-$tag.data -- sleep 8 2>/dev/null
until [ $(grep -c "^| Echo (floor)" /tmp/perfprof/out-$tag.log) -ge 2 ]; do sleep 0.2; done
sleep 4
perf record -F 499 -g -p $PID -o /tmp/perfprof/updateblocker-$tag.data -- sleep 8 2>/dev/null
wait $LG
echo done
