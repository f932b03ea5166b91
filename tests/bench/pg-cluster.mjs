// A throwaway PostgreSQL cluster for `make bench`: prints "DB <url>" and "PSQL <args...>" (psql
// arguments for the superuser over the unix socket), then keeps the cluster up until stdin
// closes or a signal arrives, and removes it.
import { sharedCluster } from '../e2e/lib/postgres.mjs';

const cluster = await sharedCluster();
const url = await cluster.createDatabase();
const name = new URL(url).pathname.slice(1);
console.log(`DB ${url}`);
console.log(`PSQL -X -q -h ${cluster.sock} -p ${cluster.port} -U ${new URL(url).username || 'postgres'} -d ${name}`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
