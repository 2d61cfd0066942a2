using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bulwark.Matching.Hashing;

namespace Bulwark.Core.Signals.KnownContent;

/// <summary>
/// A signal value checked and put in its canonical form; <see cref="Payload"/> holds a vPDQ frame list and
/// <see cref="RegionPayload"/> the frames' region hashes (halves) and untrimmed frames (whole frames with their black bars),
/// when the value carried any.
/// </summary>
public sealed record CanonicalSignal(string SignalType, string Value, string? Payload, int? Quality, string? RegionPayload = null);

/// <summary>
/// The signal types a bank entry may hold, named as python-threatexchange names them where it has them
/// (<c>pdq</c>, <c>vpdq</c>, <c>url</c>, <c>url_md5</c>), and how each value is validated and normalised.
/// </summary>
public static class KnownSignalTypes
{
    public const string Pdq = "pdq";
    public const string Vpdq = "vpdq";
    public const string Md5 = "md5";
    public const string Sha256 = "sha256";
    public const string Url = "url";
    public const string UrlMd5 = "url_md5";

    public static readonly IReadOnlyList<string> All = [Pdq, Vpdq, Md5, Sha256, Url, UrlMd5];

    /// <summary>Names other tools use for the same thing.</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["video_md5"] = Md5, ["photo_md5"] = Md5, ["pdq_hash"] = Pdq, ["vpdq_hash"] = Vpdq,
    };

    public static string? Resolve(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        name = name.Trim();
        if (Aliases.TryGetValue(name, out var alias)) return alias;
        var lower = name.ToLowerInvariant();
        return All.Contains(lower) ? lower : null;
    }

    /// <summary>Checks a value against its type; the error names the type and what is wrong with the value.</summary>
    public static bool TryCanonicalize(string signalType, string value, out CanonicalSignal? signal, out string error)
    {
        signal = null;
        var type = Resolve(signalType);
        if (type is null)
        {
            error = $"unknown signal type '{signalType}'; expected one of {string.Join(", ", All)}";
            return false;
        }
        value = value.Trim();
        switch (type)
        {
            case Pdq:
                if (!PdqHash.TryParse(value, out var pdq, out var pdqError)) { error = $"invalid pdq hash '{Clip(value)}': {pdqError}"; return false; }
                signal = new(type, pdq.ToString(), null, null);
                break;
            case Md5 or Sha256 or UrlMd5:
                var length = type == Sha256 ? 64 : 32;
                var lower = value.ToLowerInvariant();
                if (lower.Length != length || !lower.All(char.IsAsciiHexDigitLower))
                { error = $"invalid {type} '{Clip(value)}': {length} hexadecimal characters expected, got {value.Length} characters"; return false; }
                signal = new(type, lower, null, null);
                break;
            case Vpdq:
                if (!TryParseVpdq(value, out var frames, out var regions, out var untrimmed, out error)) return false;
                signal = VpdqSignal(frames, regions, untrimmed);
                break;
            default: // Url
                if (!TryNormalizeUrl(value, out var url, out var urlError)) { error = urlError; return false; }
                signal = new(type, url, null, null);
                break;
        }
        error = "";
        return true;
    }

    /// <summary>
    /// A vPDQ value: frame lines (<c>frame,quality,pdqhex,timestamp</c>), optionally followed or interleaved by region lines
    /// (the same with <c>,top</c>, <c>,bottom</c>, <c>,left</c> or <c>,right</c> appended) and untrimmed lines (<c>,untrimmed</c>:
    /// the frame hashed whole with its black bars), separated by newlines or ';'.
    /// </summary>
    public static bool TryParseVpdq(string value, out List<VpdqFrame> frames, out List<VpdqRegionFrame> regions, out List<VpdqFrame> untrimmed, out string error)
    {
        frames = [];
        regions = [];
        untrimmed = [];
        var n = 0;
        foreach (var raw in value.Replace(';', '\n').Split('\n'))
        {
            n++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            string lineError;
            var ok = line.Count(',') != 4 ? TryFrame(line, frames, out lineError)
                : VpdqRegionFormat.IsUntrimmed(line) ? TryUntrimmed(line, untrimmed, out lineError)
                : TryRegion(line, regions, out lineError);
            if (ok) continue;
            error = $"invalid vpdq frame list: line {n}: {lineError}";
            return false;
        }
        if (frames.Count == 0) { error = "invalid vpdq frame list: no frames"; return false; }
        error = "";
        return true;

        static bool TryFrame(string line, List<VpdqFrame> into, out string e)
        {
            if (!VpdqFormat.TryParseLine(line, out var f, out e)) return false;
            into.Add(f);
            return true;
        }
        static bool TryUntrimmed(string line, List<VpdqFrame> into, out string e)
        {
            if (!VpdqRegionFormat.TryParseUntrimmedLine(line, out var f, out e)) return false;
            into.Add(f);
            return true;
        }
        static bool TryRegion(string line, List<VpdqRegionFrame> into, out string e)
        {
            if (!VpdqRegionFormat.TryParseLine(line, out var f, out e)) return false;
            into.Add(f);
            return true;
        }
    }

    /// <summary>
    /// A vPDQ entry keeps its frames as the payload and their MD5 as the value, so identical lists are found by value; region
    /// hashes and untrimmed frames, when given, are kept beside them and do not change the value.
    /// </summary>
    public static CanonicalSignal VpdqSignal(IEnumerable<VpdqFrame> frames, IEnumerable<VpdqRegionFrame>? regions = null, IEnumerable<VpdqFrame>? untrimmed = null)
    {
        var text = VpdqFormat.ToText(frames);
        var usable = frames.Where(f => f.Quality > 0).Select(f => f.Quality).DefaultIfEmpty(0);
        var regionText = VpdqRegionFormat.ToText(regions ?? [], untrimmed);
        return new(Vpdq, Md5Hex(text), text, (int)Math.Round(usable.Average()), string.IsNullOrEmpty(regionText) ? null : regionText);
    }

    /// <summary>The value that adds a hashed video to a bank: its frame lines, then its region lines and untrimmed lines.</summary>
    public static string VpdqEntryValue(IEnumerable<VpdqFrame> frames, IEnumerable<VpdqRegionFrame>? regions, IEnumerable<VpdqFrame>? untrimmed = null) =>
        VpdqFormat.ToText(frames) + VpdqRegionFormat.ToText(regions ?? [], untrimmed);

    /// <summary>The value that adds a hashed video to a bank, with everything its hashing kept.</summary>
    public static string VpdqEntryValue(MediaHashes video) => VpdqEntryValue(video.Vpdq ?? [], video.VpdqRegions, video.VpdqUntrimmed);

    /// <summary>One-line form of a vPDQ frame list (frames separated by ';'), for CSV and line-based files.</summary>
    public static string VpdqOneLine(string payload) => payload.TrimEnd('\n').Replace('\n', ';');

    /// <summary>
    /// A URL as link lists match it: no scheme, lower-case host without <c>www.</c> (IDN as punycode), no default port,
    /// no fragment, no trailing slash. <c>http://WWW.Example.com/a/</c> and <c>https://example.com/a#x</c> are the same URL.
    /// </summary>
    public static bool TryNormalizeUrl(string input, out string normalized, out string error)
    {
        normalized = "";
        var text = input.Trim();
        if (text.Length is 0 or > 2048) { error = $"invalid url '{Clip(text)}': 1 to 2048 characters expected"; return false; }
        if (!text.Contains("://", StringComparison.Ordinal)) text = "http://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        { error = $"invalid url '{Clip(input)}': an http(s) URL or host/path expected"; return false; }
        var host = uri.IdnHost.ToLowerInvariant();
        if (host.StartsWith("www.", StringComparison.Ordinal)) host = host[4..];
        var path = uri.AbsolutePath.TrimEnd('/');
        normalized = host + (uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(CultureInfo.InvariantCulture)) + path + uri.Query;
        error = "";
        return true;
    }

    public static string Md5Hex(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Clip(string s) => s.Length > 80 ? s[..80] + "…" : s;
}
