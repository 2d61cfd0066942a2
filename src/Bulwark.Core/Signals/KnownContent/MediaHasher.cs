using System.Security.Cryptography;
using Bulwark.Core.Security;
using Bulwark.Matching.Hashing;

namespace Bulwark.Core.Signals.KnownContent;

/// <summary>
/// Every hash of one media file. <see cref="Unhashable"/> says why no perceptual hash could be made. A video's
/// <see cref="VpdqRegions"/> are its frames' halves (empty when region hashes are off), and <see cref="VpdqUntrimmed"/> its
/// frames hashed whole with their black bars, as other vPDQ tools hash them (empty when no frame had bars to trim).
/// </summary>
public sealed record MediaHashes(
    string Sha256, string Md5, string Kind, PdqResult? Pdq, PdqDihedralResult? Dihedral, IReadOnlyList<VpdqFrame>? Vpdq,
    string? Unhashable, bool VideoUnavailable)
{
    public IReadOnlyList<VpdqRegionFrame> VpdqRegions { get; init; } = [];
    public IReadOnlyList<VpdqFrame> VpdqUntrimmed { get; init; } = [];

    public const string Image = "image";
    public const string Video = "video";
    public const string Unknown = "unknown";
}

/// <summary>
/// Hashes a media file: SHA-256 and MD5 always; PDQ for images, vPDQ for videos. The kind comes from the MIME type
/// when given, else from the bytes (an image decoder first, then ffprobe). Failures are described, never thrown.
/// </summary>
public sealed class MediaHasher(KnownContentOptions options)
{
    public VpdqHasher Video { get; } = new(options.Vpdq);

    // The pipeline processes several items at once; more ffmpeg processes than cores only makes each slower.
    private readonly SemaphoreSlim _videoSlots = new(options.MaxConcurrentVideos > 0 ? options.MaxConcurrentVideos : Environment.ProcessorCount);

    public bool VideoAvailable(out string? reason) => Video.IsAvailable(out reason);

    /// <param name="displayName">How messages name the file (default: its file name). Messages never carry a server path.</param>
    public async Task<MediaHashes> HashFileAsync(string path, string? mimeType, bool dihedral, CancellationToken ct, PdqResize? resize = null, string? displayName = null)
    {
        var hashes = await HashAnyFileAsync(path, mimeType, dihedral, ct, resize);
        return hashes.Unhashable is { } why ? hashes with { Unhashable = ServerPaths.Redact(why, path, displayName) } : hashes;
    }

    private async Task<MediaHashes> HashAnyFileAsync(string path, string? mimeType, bool dihedral, CancellationToken ct, PdqResize? resize)
    {
        string sha256, md5;
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var m = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await file.ReadAsync(buffer, ct)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                m.AppendData(buffer, 0, read);
            }
            sha256 = Convert.ToHexStringLower(sha.GetHashAndReset());
            md5 = Convert.ToHexStringLower(m.GetHashAndReset());
        }
        var name = Path.GetFileName(path);
        var kind = mimeType switch
        {
            not null when mimeType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) => MediaHashes.Image,
            not null when mimeType.StartsWith("video/", StringComparison.OrdinalIgnoreCase) => MediaHashes.Video,
            _ => MediaHashes.Unknown,
        };
        if (new FileInfo(path).Length == 0)
            return new(sha256, md5, kind, null, null, null, $"'{name}' is empty (0 bytes)", false);

        // Unknown type: only try the image decoder on bytes that start like an image, so a large video is never read into memory.
        // An image is read whole into memory: one larger than the decode budget is refused (or, of unknown type, tried as video).
        var tooBigForImage = new FileInfo(path).Length > options.MaxImageDecodeBytes;
        if (kind == MediaHashes.Unknown && (tooBigForImage || !await LooksLikeImageAsync(path, ct))) kind = MediaHashes.Video;
        if (kind == MediaHashes.Image && tooBigForImage)
            return new(sha256, md5, MediaHashes.Image, null, null, null, $"image '{name}' is larger than the image decode limit of {options.MaxImageDecodeMegabytes} MiB", false);
        if (kind != MediaHashes.Video)
        {
            var imageOptions = new PdqImageOptions { Resize = resize ?? options.PdqResize, MaxPixels = options.MaxImagePixels, MaxDecodeBytes = options.MaxImageDecodeBytes };
            var bytes = await File.ReadAllBytesAsync(path, ct);
            if (dihedral)
            {
                var d = PdqImageHasher.HashDihedralBytes(bytes, imageOptions);
                if (d.IsSuccess) return new(sha256, md5, MediaHashes.Image, new PdqResult(d.Value![PdqDihedral.Original], d.Value.Quality), d.Value, null, null, false);
                if (kind == MediaHashes.Image || d.Error!.Code != ImageHashErrorCode.UnsupportedFormat)
                    return new(sha256, md5, MediaHashes.Image, null, null, null, $"image '{name}': {d.Error!.Message}", false);
            }
            else
            {
                var r = PdqImageHasher.HashBytes(bytes, imageOptions);
                if (r.IsSuccess) return new(sha256, md5, MediaHashes.Image, r.Value, null, null, null, false);
                if (kind == MediaHashes.Image || r.Error!.Code != ImageHashErrorCode.UnsupportedFormat)
                    return new(sha256, md5, MediaHashes.Image, null, null, null, $"image '{name}': {r.Error!.Message}", false);
            }
        }

        VideoHashResult v;
        await _videoSlots.WaitAsync(ct);
        try { v = await Video.HashFileAsync(path, ct); }
        finally { _videoSlots.Release(); }
        if (!v.IsSuccess && mimeType is null && v.Error!.Code is VideoHashErrorCode.NoVideoStream or VideoHashErrorCode.Corrupt)
            return new(sha256, md5, MediaHashes.Unknown, null, null, null, $"'{name}' is neither a decodable image nor a video", false);
        if (v.IsSuccess) return new(sha256, md5, MediaHashes.Video, null, null, v.Value!.Frames, null, false) { VpdqRegions = v.Value.Regions, VpdqUntrimmed = v.Value.UntrimmedFrames };
        var error = v.Error!;
        return new(sha256, md5, MediaHashes.Video, null, null, null, $"video '{name}': {error.Message}", error.Code == VideoHashErrorCode.Unavailable);
    }

    /// <summary>JPEG, PNG, GIF, BMP, WebP, ICO and HEIF/AVIF ("ftyp" with an image brand) signatures.</summary>
    private static async Task<bool> LooksLikeImageAsync(string path, CancellationToken ct)
    {
        var head = new byte[16];
        await using var file = File.OpenRead(path);
        var n = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        ReadOnlySpan<byte> h = head.AsSpan(0, n);
        return h.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) || h.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']) || h.StartsWith("GIF8"u8)
            || h.StartsWith("BM"u8) || h.StartsWith((ReadOnlySpan<byte>)[0, 0, 1, 0])
            || (h.Length >= 12 && h.StartsWith("RIFF"u8) && h[8..12].SequenceEqual("WEBP"u8))
            || (h.Length >= 12 && h[4..8].SequenceEqual("ftyp"u8) && (h[8..12].SequenceEqual("heic"u8) || h[8..12].SequenceEqual("avif"u8) || h[8..12].SequenceEqual("mif1"u8)));
    }
}
