// libsodium-wrappers-sumo, loaded once: the differential oracle for primitives libsodium has.
import _sodium from 'libsodium-wrappers-sumo';

let ready: Promise<typeof _sodium> | undefined;
export function loadSodium(): Promise<typeof _sodium> {
  ready ??= _sodium.ready.then(() => _sodium);
  return ready;
}
