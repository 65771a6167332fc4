import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../diagnostics/usage-error.js';

/** Listens, turning a busy or forbidden port into a UsageError instead of a crash or a hang. */
export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new UsageError(`Le port ${port} est déjà utilisé sur ${host} : choisissez-en un autre avec --port.`));
      else if (error.code === 'EACCES') reject(new UsageError(`Le port ${port} est réservé (il faut des droits d'administrateur) : choisissez-en un au-dessus de 1024 avec --port.`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') reject(new UsageError(`L'adresse ${host} n'est pas celle de cette machine : essayez --host 127.0.0.1.`));
      else reject(error);
    });
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });
}
