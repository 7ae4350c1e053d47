import { describe, expect, it } from '@jest/globals';
import { quoteShellArgument, renderCommandLine } from './command-line.js';

describe('renderCommandLine', () => {
  it('videotestsrc with x264enc', () => {
    const line = renderCommandLine({
      source: { kind: 'videotestsrc' },
      encoder: { kind: 'x264enc' },
      width: 320,
      height: 240,
      frameRate: 30,
    });

    expect(line).toBe(
      'gst-launch-1.0 -q -e videotestsrc is-live=true pattern=smpte ! videoconvert ! videoscale ! ' +
        'video/x-raw,format=I420,width=320,height=240,framerate=30/1 ! ' +
        'queue max-size-buffers=1 max-size-bytes=0 max-size-time=0 leaky=downstream ! ' +
        'x264enc tune=zerolatency speed-preset=ultrafast bframes=0 b-adapt=false key-int-max=60 bitrate=4000 ' +
        'byte-stream=true ! h264parse config-interval=-1 ! video/x-h264,stream-format=byte-stream,alignment=au ! ' +
        'gdppay ! fdsink fd=1 sync=false',
    );
  });

  it('ximagesrc with openh264enc and a custom path', () => {
    const line = renderCommandLine(
      {
        source: { kind: 'ximagesrc', display: ':99' },
        encoder: { kind: 'openh264enc', usageType: 'camera' },
        width: 640,
        height: 480,
        frameRate: 15,
      },
      '/opt/gst dir/gst-launch-1.0',
    );

    expect(line).toBe(
      "'/opt/gst dir/gst-launch-1.0' -q -e ximagesrc display-name=:99 show-pointer=true use-damage=false ! " +
        'videoconvert ! videoscale ! video/x-raw,format=I420,width=640,height=480,framerate=15/1 ! ' +
        'queue max-size-buffers=1 max-size-bytes=0 max-size-time=0 leaky=downstream ! ' +
        'openh264enc complexity=low usage-type=camera rate-control=bitrate bitrate=4000000 gop-size=30 ' +
        'enable-frame-skip=false ! h264parse config-interval=-1 ! ' +
        'video/x-h264,stream-format=byte-stream,alignment=au ! gdppay ! fdsink fd=1 sync=false',
    );
  });
});

describe('quoteShellArgument', () => {
  it.each([
    ['plain word', 'videoconvert', 'videoconvert'],
    ['lone bang', '!', '!'],
    ['empty', '', "''"],
    ['space', 'a b', "'a b'"],
    ['single quote', "it's", "'it'\\''s'"],
    ['dollar', '$HOME', "'$HOME'"],
    ['semicolon', 'a;rm', "'a;rm'"],
    ['bang inside word', 'a!b', "'a!b'"],
  ])('%s', (_name, argument, expected) => {
    expect(quoteShellArgument(argument)).toBe(expected);
  });
});
