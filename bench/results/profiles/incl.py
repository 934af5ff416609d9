import sys, re, subprocess, collections
out = subprocess.run(['perf','script','-i',sys.argv[1],'-F','ip,sym'],capture_output=True,text=True).stdout
pat=sys.argv[2]
samples=[];cur=[]
for line in out.split('\n'):
    if not line.strip():
        if cur: samples.append(cur); cur=[]
        continue
    cur.append(line)
if cur: samples.append(cur)
n=len(samples); c=collections.Counter()
for s in samples:
    seen=set()
    for l in s:
        m=re.search(r'\] ([\w\.`\+<>\d]+(?:\[[^\]]*\])?)::([\w<>\.`\|\$\d]+)', l)
        if m and re.search(pat, m.group(1)):
            k=(m.group(1)+'::'+m.group(2))[:150]
            if k not in seen: seen.add(k); c[k]+=1
for k,v in c.most_common(int(sys.argv[3]) if len(sys.argv)>3 else 30): print(f'| `{k}` | {100*v/n:.1f} % |')
