// Node's cluster module, the way its documentation shows it: the primary forks one worker per
// CPU and forks a new one when a worker dies; every worker answers 'end'. /whoami tells which
// process answered, for the fairness and failover measurements.
const cluster = require('node:cluster');
const http = require('node:http');
const os = require('node:os');

const port = Number(process.env.PORT);

if (cluster.isPrimary) {
  for (let i = 0; i < os.availableParallelism(); i++) cluster.fork();
  cluster.on('exit', () => cluster.fork());
} else {
  http.createServer(handler).listen(port, '127.0.0.1');
}

function handler(req, res) {
  res.end(req.url === '/whoami' ? String(process.pid) : 'end');
}
