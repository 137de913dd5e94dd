// Runs inside a network namespace of its own (see kannel-interop.test.ts), where 127.0.0.1 is the only
// address: Kannel's drive_smpp listens on every interface, so this keeps it off the machine's network.
// It starts the fake smsbox port drive_smpp needs (127.0.0.1:13001), drive_smpp itself, and a Unix
// socket that forwards each connection to drive_smpp's SMPP port; Unix sockets cross namespaces, so the
// test process outside can reach it. Prints "ready", and one JSON line when drive_smpp exits.
import { spawn } from 'node:child_process';
import net from 'node:net';

const [socketPath, drive, moCount] = process.argv.slice(2);
const SMPP_PORT = 2345;
const SMSBOX_PORT = 13001;

const held = new Set();
const hold = (socket) => {
  held.add(socket);
  socket.on('error', () => undefined);
  socket.on('close', () => held.delete(socket));
};

// drive_smpp panics when nothing answers here about 3 s after the first bind; it only needs the connection.
const smsbox = net.createServer(hold);
smsbox.listen(SMSBOX_PORT, '127.0.0.1');

let log = '';
const peer = spawn(drive, ['-v', '1', '-p', String(SMPP_PORT), '-m', moCount], { stdio: ['ignore', 'pipe', 'pipe'] });
peer.stdout.on('data', (d) => (log += d));
peer.stderr.on('data', (d) => (log += d));
peer.on('exit', (code, signal) => {
  process.stdout.write(`${JSON.stringify({ code, signal, log })}\n`);
  for (const s of held) s.destroy();
  smsbox.close();
  forwarder.close();
});

/** drive_smpp may not listen yet when the first client arrives: retry the connection for a while. */
function connectPeer(attempt, done) {
  const upstream = net.connect(SMPP_PORT, '127.0.0.1');
  upstream.once('connect', () => done(upstream));
  upstream.once('error', () => {
    if (attempt < 50) setTimeout(() => connectPeer(attempt + 1, done), 100);
    else done(null);
  });
}

const forwarder = net.createServer((client) => {
  hold(client);
  client.pause();
  connectPeer(0, (upstream) => {
    if (!upstream) return client.destroy();
    hold(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.resume();
  });
});
forwarder.listen(socketPath, () => process.stdout.write('ready\n'));

process.on('SIGTERM', () => peer.kill('SIGTERM'));
