/**
 * The process that encodes versions of photos (images/encode-images.ts forks it): it gets its
 * jobs in one message, sends each result back as it is made, and ends when its parent lets it
 * go. A process of its own, so that what libvips and libaom allocate goes back to the system
 * when it ends: glibc's allocator keeps freed native memory inside a process (sharp's
 * documentation says so), ≈ 300 MB for the 60 versions of 5 photos of 2400 px, which the build
 * then held until it ended.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { encodeVersions, type VersionJob } from './encode-version.js';

process.once('message', (message: { jobs: VersionJob[] }) => {
  void encodeVersions(message.jobs, availableParallelism(), (file) => readFile(file), (index, result) => process.send!({ index, result }));
});
