// The same handler as node-cluster.js without the cluster code: PM2's cluster mode forks it.
const http = require('node:http');

http.createServer((req, res) => {
  res.end(req.url === '/whoami' ? String(process.pid) : 'end');
}).listen(Number(process.env.PORT), '127.0.0.1');
