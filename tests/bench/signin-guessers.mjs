// Sign-in load for tests/bench/signin.sh: 16 concurrent clients POST /api/v1/session in a loop
// until SIGTERM, each on a new connection (as browsers and scripts arriving one by one do), then
// print their status counts as JSON. Wrong passwords by default (8 on the account given, 8 on a
// different made-up account each time); with RIGHT=<password>, all 16 sign in with it.
import http from 'node:http';

const [url, upn] = process.argv.slice(2);
const right = process.env.RIGHT;
const counts = {};
let stop = false;
let n = 0;
process.on('SIGTERM', () => { stop = true; });

function post(body) {
  return new Promise((resolve) => {
    const data = Buffer.from(JSON.stringify(body));
    const req = http.request(`${url}/api/v1/session`, {
      method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', 'Content-Length': data.length },
    }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    req.on('error', () => resolve('error'));
    req.end(data);
  });
}

async function loop(i) {
  while (!stop) {
    n += 1;
    const who = right || i < 8 ? upn : `nobody${i}-${n}@bench.test`;
    const s = await post({ userPrincipalName: who, password: right || `wrong-${n}` });
    counts[s] = (counts[s] || 0) + 1;
  }
}

await Promise.all(Array.from({ length: 16 }, (_, i) => loop(i)));
console.log(JSON.stringify(counts));
