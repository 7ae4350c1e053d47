// A loopback HTTP file server for the download benchmark, run as its own process so that serving does not compete
// with the downloader for one event loop. Serves one file with Range support and prints its port on stdout.
//   node benchmarks/vm-core/file-server.mjs FILE
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename } from 'node:path';

const [file] = process.argv.slice(2);
const size = statSync(file).size;
const name = `/${basename(file)}`;

const server = createServer((request, response) => {
  if (request.url !== name) {
    response.writeHead(404).end();

    return;
  }

  const range = /^bytes=(\d+)-(\d+)$/.exec(request.headers.range ?? '');
  const start = range === null ? 0 : Number(range[1]);
  const end = range === null ? size - 1 : Math.min(Number(range[2]), size - 1);

  response.writeHead(range === null ? 200 : 206, {
    'content-length': end - start + 1,
    ...(range === null ? {} : { 'content-range': `bytes ${start}-${end}/${size}` }),
  });
  createReadStream(file, { start, end, highWaterMark: 1024 * 1024 }).pipe(response);
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on('disconnect', () => process.exit(0));
