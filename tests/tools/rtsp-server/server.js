#!/usr/bin/env node
// A second kind of RTSP server for the tests: rtsp-streaming-server (Node.js, a port of revmischa's Perl RTSP server),
// not GStreamer's. Publishers (ffmpeg's RTSP output: -f rtsp) ANNOUNCE and RECORD a path on the publish port; cameras'
// readers DESCRIBE, SETUP and PLAY it on the client port. RTP goes over UDP only (the server refuses interleaved TCP).
//   node server.js --publish-port 25554 --client-port 26554 --rtp-port-start 30000 --rtp-port-count 40
// Listens on 127.0.0.1 only; prints "ready" once listening; stops on SIGTERM or SIGINT.
const dgram = require('dgram');
const net = require('net');
const RtspServer = require('rtsp-streaming-server').default;

function option(name) {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0 || at + 1 >= process.argv.length) {
    console.error(`missing --${name}`);
    process.exit(2);
  }
  return parseInt(process.argv[at + 1], 10);
}

// the library listens on every interface: bind its TCP servers and UDP sockets to the loopback address only
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (port, ...rest) {
  if (typeof port === 'number' && (rest.length === 0 || typeof rest[0] === 'function')) {
    return listen.call(this, port, '127.0.0.1', ...rest);
  }
  return listen.call(this, port, ...rest);
};

const bind = dgram.Socket.prototype.bind;
dgram.Socket.prototype.bind = function (port, ...rest) {
  if (typeof port === 'number' && (rest.length === 0 || typeof rest[0] === 'function')) {
    return bind.call(this, port, '127.0.0.1', ...rest);
  }
  return bind.call(this, port, ...rest);
};

const server = new RtspServer({
  serverPort: option('publish-port'),
  clientPort: option('client-port'),
  rtpPortStart: option('rtp-port-start'),
  rtpPortCount: option('rtp-port-count'),
});

server.start().then(() => console.log('ready'), (e) => { console.error(e); process.exit(1); });
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
