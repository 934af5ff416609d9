#!/bin/bash
cd /work/wt-perf
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
dotnet run -c Release --no-build --project bench/LoadGenerator -- --seconds 12 --out /tmp/perfprof/api.md --json /tmp/perfprof/e2e.json > /tmp/perfprof/out.log 2>&1 &
LG=$!
until grep -q "^Setup:" /tmp/perfprof/out.log; do sleep 0.5; if ! kill -0 $LG 2>/dev/null; then echo died; exit 1; fi; done
PID=$(pgrep -f "wt-perf/src/Silo/bin/Release/net10.0/CareTwin.Silo.dll" | head -1)
echo silo $PID
sleep 1
perf record -F 499 -g -p $PID -o /tmp/perfprof/getjourney.data -- sleep 9 2>/dev/null
until grep -q "^| GetJourney |" /tmp/perfprof/out.log; do sleep 0.2; done
sleep 1
perf record -F 499 -g -p $PID -o /tmp/perfprof/updateblocker.data -- sleep 9 2>/dev/null
wait $LG
echo done
