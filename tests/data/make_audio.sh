#!/usr/bin/env bash
# Regenerates the test recordings in tests/data/audio/ (a few seconds each, < 1 MB in all).
# Speech comes from espeak-ng, silences and format/rate changes from sox. sox in Debian has no
# MP3 or AAC encoder, so en.mp3 and en.m4a are encoded with PyAV (libmp3lame and FFmpeg's aac
# encoder, both bundled in the av wheel). Run from the repository root: tests/data/make_audio.sh
set -euo pipefail
cd "$(dirname "$0")/audio"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

say() {  # say VOICE OUTFILE TEXT: one utterance, 16 kHz mono 16-bit
    espeak-ng -v "$1" -s 150 -w "$tmp/raw.wav" "$3"
    sox "$tmp/raw.wav" -r 16000 -c 1 -b 16 "$2"
}

# English: three utterances separated by 1.5 s of silence (one utterance = one segment).
say en-us "$tmp/e1.wav" "The meeting starts at nine o'clock."
say en-us "$tmp/e2.wav" "Please send the report to the council."
say en-us "$tmp/e3.wav" "Thank you very much."
sox -n -r 16000 -c 1 -b 16 "$tmp/gap.wav" trim 0 1.5
sox -n -r 16000 -c 1 -b 16 "$tmp/lead.wav" trim 0 0.5
sox "$tmp/lead.wav" "$tmp/e1.wav" "$tmp/gap.wav" "$tmp/e2.wav" "$tmp/gap.wav" "$tmp/e3.wav" "$tmp/lead.wav" "$tmp/en.wav"
sox "$tmp/en.wav" en.flac
# the same speech at 8 kHz in stereo (telephone-style export)
sox "$tmp/en.wav" -r 8000 -c 2 en_8k_stereo.flac

# Dutch, the study language: two utterances.
say nl "$tmp/n1.wav" "Goedemorgen, welkom bij dit interview."
say nl "$tmp/n2.wav" "Hoe lang werkt u al bij de gemeente?"
sox "$tmp/lead.wav" "$tmp/n1.wav" "$tmp/gap.wav" "$tmp/n2.wav" "$tmp/lead.wav" "$tmp/nl.wav"
sox "$tmp/nl.wav" -C 3 nl.ogg

# MP3 and M4A (AAC) via PyAV
PY="${PYTHON:-../../../.venv/bin/python}"
"$PY" - "$tmp/en.wav" <<'PYEOF'
import sys
import av

def encode(source: str, target: str, codec: str, rate: int, bit_rate: int) -> None:
    with av.open(source) as src, av.open(target, "w") as dst:
        stream = dst.add_stream(codec, rate=rate, layout="mono")
        stream.bit_rate = bit_rate
        resampler = av.AudioResampler(format=stream.format.name, layout="mono", rate=rate)
        for frame in src.decode(audio=0):
            for out in resampler.resample(frame):
                for packet in stream.encode(out):
                    dst.mux(packet)
        for out in resampler.resample(None):
            for packet in stream.encode(out):
                dst.mux(packet)
        for packet in stream.encode(None):
            dst.mux(packet)

encode(sys.argv[1], "en.mp3", "libmp3lame", 22050, 32000)
encode(sys.argv[1], "en.m4a", "aac", 16000, 32000)
PYEOF

# reference texts (what was spoken), for the benchmark's word error rate
printf "The meeting starts at nine o'clock. Please send the report to the council. Thank you very much.\n" > en.txt
printf "Goedemorgen, welkom bij dit interview. Hoe lang werkt u al bij de gemeente?\n" > nl.txt
ls -l
