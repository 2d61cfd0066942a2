using System.Security.Cryptography;

namespace Bulwark.Matching.Index;

/// <summary>
/// Passes reads or writes through to another stream and keeps a SHA-256 of the bytes, so a snapshot can end with a
/// checksum of itself. Structural validation stops a crafted snapshot from reading out of bounds; the checksum is what
/// catches a flipped bit that leaves the structure valid (a posting moved to another in-range id, a changed hash).
/// </summary>
internal sealed class ChecksumStream(Stream inner) : Stream
{
    public const int Length32 = 32;
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>The SHA-256 of every byte passed so far.</summary>
    public byte[] Current() => _sha.GetCurrentHash();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        _sha.AppendData(buffer[..n]);
        return n;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        _sha.AppendData(buffer);
    }

    public override bool CanRead => inner.CanRead;
    public override bool CanWrite => inner.CanWrite;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _sha.Dispose();
        base.Dispose(disposing);
    }
}
