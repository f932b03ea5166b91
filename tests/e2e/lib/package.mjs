// Building app packages in the tests: real PNG icons and real zip files (stored entries).
import zlib from 'node:zlib';

// A w x h RGBA PNG of one colour.
export function png(w, h, rgba = [0x46, 0x4e, 0xb8, 0xff]) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 4, Buffer.from(rgba))]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

// A zip of [{name, data, mode?}] with stored (uncompressed) entries; mode sets the Unix mode
// in the external attributes (e.g. 0o120777 for a symlink).
export function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data);
    const crc = zlib.crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

// A valid connector app manifest; override fields with `patch` (a value of undefined deletes).
export function manifest(patch = {}) {
  const m = {
    $schema: 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json',
    manifestVersion: '1.17',
    id: '5f2d9a4e-6c1b-4c3a-9f0e-2b7d8a1c4e6f',
    version: '1.0.0',
    packageName: 'org.example.alerts',
    developer: {
      name: 'Example Ltd', websiteUrl: 'https://example.org', privacyUrl: 'https://example.org/privacy',
      termsOfUseUrl: 'https://example.org/terms',
    },
    name: { short: 'Alerts', full: 'Example Alerts' },
    description: { short: 'Alerts from Example', full: 'Posts alerts from Example into a channel.' },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: '#464EB8',
    connectors: [{ connectorId: 'b8a6e6d2-3c4f-4a1b-9e2d-7c5f1a0b3d9e', configurationUrl: 'https://example.org/config', scopes: ['team'] }],
    validDomains: ['example.org', '*.example.org'],
  };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete m[k];
    else m[k] = v;
  }
  return m;
}

export function appPackage(patch = {}, extra = []) {
  return zip([
    { name: 'manifest.json', data: JSON.stringify(manifest(patch)) },
    { name: 'color.png', data: png(192, 192) },
    { name: 'outline.png', data: png(32, 32, [255, 255, 255, 255]) },
    ...extra,
  ]);
}
