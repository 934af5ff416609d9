import sys, re, subprocess, collections
data, title = sys.argv[1], sys.argv[2]
out = subprocess.run(['perf','script','-i',data,'-F','comm,tid,ip,sym,dso'],capture_output=True,text=True).stdout
samples=[]; cur=[]
for line in out.split('\n'):
    if not line.strip():
        if cur: samples.append(cur); cur=[]
        continue
    if not line.startswith((' ','\t')):
        cur=[]; continue
    m=re.match(r'\s*[0-9a-f]+\s+(.*)\s+\((.*)\)\s*$', line)
    if m: cur.append((m.group(1).strip(), m.group(2)))
if cur: samples.append(cur)
n=len(samples)
def short(sym):
    sym=re.sub(r'\[(QuickJitted|InstrumentedTier|InstrumentedTierOptimized|OptimizedTier1|Optimized|Tier0|Tier1|PreJIT|OptimizedTier1OSR)\]$','',sym)
    m=re.search(r'\] ([\w\.`\+<>\d]+(?:\[[^\]]*\])?)::([\w<>\.`\|\$\d]+)', sym)
    if m: return (m.group(1)+'::'+m.group(2))[:140]
    return sym[:140]
def category(sym,dso):
    if 'libclrjit' in dso: return 'JIT compiler (tiering up: the run is short)'
    if 'libcoreclr' in dso: return '.NET runtime native (GC, allocation, type checks, stubs)'
    if 'kernel' in dso: return 'kernel (scheduling, sockets, fsync)'
    if 'sqlite' in dso: return 'SQLite native'
    if 'libcrypto' in dso or 'libssl' in dso: return 'OpenSSL (SHA-256)'
    if 'libc.so' in dso or 'ld-linux' in dso: return 'libc / loader'
    s=sym
    for key,cat in [('CareTwin.Api','CareTwin API (mapping, admission)'),('CareTwin.Grains','CareTwin grains'),('CareTwin.Journey','CareTwin journey model'),('CareTwin.Storage','CareTwin storage'),
                    ('Orleans.Streams','Orleans streams (memory-stream polling)'),('Orleans','Orleans messaging, scheduling, serialization'),('Grpc','Grpc.AspNetCore'),('Kestrel','Kestrel / HTTP/2'),('AspNetCore','ASP.NET Core'),
                    ('System.Text.Json','System.Text.Json'),('Microsoft.Data.Sqlite','Microsoft.Data.Sqlite'),('Google.Protobuf','protobuf'),('System.Threading','thread pool, tasks, locks'),('System.Collections','collections'),('System.','other BCL')]:
        if key in s or key in dso: return cat
    return 'other / unresolved'
selfc=collections.Counter(); cats=collections.Counter(); incl=collections.Counter()
keys=['CareTwin.Grains.Access.AccessGate','CareTwin.Grains.Access.AuditGrain','CareTwin.Grains.Persistence.JournalStore','CareTwin.Storage.Sqlite','CareTwin.Storage.GroupCommit','CareTwin.Api.Authentication.ApiKey','CareTwin.Api.Calls.CallAdmission','CareTwin.Api.Mapping.ProtoViews','CareTwin.Grains.Children.ChildGrain','CareTwin.Grains.Children.ChildFanOut','CareTwin.Grains.Boards','CareTwin.Journey','Orleans.Streams','System.Text.Json','Microsoft.Data.Sqlite','Orleans.Serialization','Orleans.Runtime.Messaging','Orleans.Runtime.Scheduler','Kestrel','Grpc.AspNetCore','Google.Protobuf']
for s in samples:
    sym,dso=s[0]
    selfc[short(sym) if sym!='[unknown]' else dso]+=1; cats[category(sym,dso)]+=1
    seen=set()
    for fs,fd in s:
        for k in keys:
            if k in fs and k not in seen: seen.add(k); incl[k]+=1
print(f'# {title}\n\n{n} samples of the silo process (perf record -F 499 -g, DOTNET_PerfMapEnabled=1).\n')
print('## Self time by part\n\n| part | share |\n|---|---|')
for c,v in cats.most_common(): print(f'| {c} | {100*v/n:.1f} % |')
print('\n## Inclusive time (sample has the frame anywhere on its synchronous stack; async continuations are not joined)\n\n| frames | share |\n|---|---|')
for k,v in incl.most_common(): print(f'| {k} | {100*v/n:.1f} % |')
print('\n## Top 40 functions by self time\n\n| function | share |\n|---|---|')
for k,v in selfc.most_common(40): print(f'| `{k}` | {100*v/n:.1f} % |')
