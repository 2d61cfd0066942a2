namespace Bulwark.Core.Signals.Entities.Importers;

/// <summary>
/// A read-only pass-through stream that enforces a byte limit and strict UTF-8 (no overlongs, surrogates or truncated sequences),
/// so that garbled input is refused with the absolute byte offset of the first bad byte instead of being decoded to U+FFFD.
/// A NUL byte is refused the same way: PostgreSQL text cannot store it.
/// </summary>
internal sealed class Utf8GuardStream(Stream inner, long maxBytes) : Stream
{
    private long _position;
    private int _pending;       // continuation bytes still expected
    private byte _lo = 0x80, _hi = 0xBF; // allowed range of the next continuation byte
    private long _sequenceStart;

    public long BytesRead => _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Check(buffer[..n]);
        return n;
    }

    private void Check(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            if (_pending > 0)
                throw Invalid(_sequenceStart, "the input ends inside a multi-byte sequence");
            return;
        }
        if (_position + bytes.Length > maxBytes)
            throw new ListFormatException($"The input exceeds the size limit of {maxBytes:N0} bytes.", byteOffset: maxBytes);

        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            var offset = _position + i;
            if (_pending > 0)
            {
                if (b < _lo || b > _hi)
                    throw Invalid(_sequenceStart, $"byte 0x{b:X2} at byte offset {offset} does not continue the multi-byte sequence");
                _pending--;
                _lo = 0x80; _hi = 0xBF;
                continue;
            }
            if (b == 0)
                throw new ListFormatException($"NUL byte (U+0000) at byte offset {offset}: list files are text, and a NUL cannot be stored.", byteOffset: offset);
            if (b < 0x80) continue;
            _sequenceStart = offset;
            (_pending, _lo, _hi) = b switch
            {
                >= 0xC2 and <= 0xDF => (1, (byte)0x80, (byte)0xBF),
                0xE0 => (2, (byte)0xA0, (byte)0xBF),
                0xED => (2, (byte)0x80, (byte)0x9F),
                >= 0xE1 and <= 0xEF => (2, (byte)0x80, (byte)0xBF),
                0xF0 => (3, (byte)0x90, (byte)0xBF),
                >= 0xF1 and <= 0xF3 => (3, (byte)0x80, (byte)0xBF),
                0xF4 => (3, (byte)0x80, (byte)0x8F),
                _ => throw Invalid(offset, $"byte 0x{b:X2} cannot start a UTF-8 sequence"),
            };
        }
        _position += bytes.Length;
    }

    private static ListFormatException Invalid(long offset, string detail) =>
        new($"Invalid UTF-8 at byte offset {offset}: {detail}. List files must be UTF-8.", byteOffset: offset);

    protected override void Dispose(bool disposing)
    {
        // The caller owns the inner stream.
        base.Dispose(disposing);
    }
}
