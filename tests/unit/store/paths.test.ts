import { describe, expect, it } from 'vitest';
import { defaultStorePath, storeDataDir } from '../../../main/store';

describe('defaultStorePath', () => {
  it('prefers VISIONBENCH_STORE on every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(defaultStorePath({ VISIONBENCH_STORE: '/x/runs.db', XDG_DATA_HOME: '/xdg' }, platform, '/home/u')).toBe('/x/runs.db');
    }
  });

  it('uses XDG_DATA_HOME on Linux, ignoring a relative one as the spec requires', () => {
    expect(defaultStorePath({ XDG_DATA_HOME: '/data' }, 'linux', '/home/u')).toBe('/data/visionbench/store.sqlite');
    expect(defaultStorePath({ XDG_DATA_HOME: 'rel' }, 'linux', '/home/u')).toBe('/home/u/.local/share/visionbench/store.sqlite');
    expect(defaultStorePath({}, 'linux', '/home/u')).toBe('/home/u/.local/share/visionbench/store.sqlite');
  });

  it('uses Application Support on macOS and APPDATA on Windows', () => {
    expect(defaultStorePath({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/VisionBench/store.sqlite');
    expect(defaultStorePath({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toBe(
      'C:\\Users\\u\\AppData\\Roaming\\VisionBench\\store.sqlite',
    );
    expect(defaultStorePath({}, 'win32', 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\VisionBench\\store.sqlite');
  });

  it('puts artefacts in FILE-data beside the store', () => {
    expect(storeDataDir('/a/store.sqlite')).toBe('/a/store.sqlite-data');
  });
});
