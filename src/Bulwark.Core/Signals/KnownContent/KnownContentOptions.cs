using System.ComponentModel.DataAnnotations;
using Bulwark.Matching.Hashing;

namespace Bulwark.Core.Signals.KnownContent;

/// <summary>Settings of known-content matching (section <c>Bulwark:KnownContent</c>).</summary>
public sealed class KnownContentOptions
{
    public const string Section = "Bulwark:KnownContent";

    /// <summary>The ffmpeg executable for video hashing; ffprobe is expected beside it. Missing ffmpeg disables video hashing, nothing else.</summary>
    [Required] public string FfmpegPath { get; set; } = "ffmpeg";
    /// <summary>vPDQ frames sampled per second; 0 hashes every frame.</summary>
    [Range(0, 120)] public double VideoFramesPerSecond { get; set; } = 1;
    /// <summary>PDQ hashes (and vPDQ frames) below this quality are not acted on.</summary>
    [Range(0, 100)] public int MinQuality { get; set; } = 50;
    /// <summary><c>None</c> (full resolution) or <c>To512</c> (the C++ tool's convention).</summary>
    public PdqResize PdqResize { get; set; } = PdqResize.None;
    /// <summary>How often the PDQ index picks up entries changed by other processes (the CLI, other nodes).</summary>
    [Range(1, 3600)] public int IndexRefreshSeconds { get; set; } = 5;
    [Range(1, 3600)] public int VideoTimeoutSeconds { get; set; } = 600;
    /// <summary>Videos hashed at once in this process (each is an ffmpeg process); 0 = one per processor.</summary>
    [Range(0, 256)] public int MaxConcurrentVideos { get; set; }
    /// <summary>Where the PDQ index snapshot is kept for a fast start; empty = no snapshot (the index is built from the database).</summary>
    public string? IndexSnapshotPath { get; set; }
    /// <summary>
    /// Hash each sampled video frame's four halves too, and match videos by them when whole frames do not match (copies
    /// under a large overlay). Off: plain vPDQ, and entries' stored region hashes are not used either.
    /// </summary>
    public bool VideoRegionHashes { get; set; } = true;

    /// <summary>
    /// Images whose header declares more pixels than this are not decoded (<c>media.unhashable</c>, 422 on <c>/hash</c>),
    /// read from the header alone: a 300 KB PNG can declare 10000×10000. 50 megapixels is above any ordinary photo.
    /// </summary>
    [Range(1, 1_000_000_000)] public long MaxImagePixels { get; set; } = 50_000_000;

    /// <summary>Memory one image decode may take (4 bytes a pixel), checked before decoding; also the largest image file read.</summary>
    [Range(1, 16_384)] public int MaxImageDecodeMegabytes { get; set; } = 256;

    internal long MaxImageDecodeBytes => MaxImageDecodeMegabytes * 1024L * 1024;

    public VpdqOptions Vpdq => new()
    {
        FfmpegPath = FfmpegPath, FramesPerSecond = VideoFramesPerSecond, MinQuality = MinQuality,
        Timeout = TimeSpan.FromSeconds(VideoTimeoutSeconds), RegionHashes = VideoRegionHashes,
    };
}
