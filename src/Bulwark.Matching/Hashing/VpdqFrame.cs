using System.Globalization;

namespace Bulwark.Matching.Hashing;

/// <summary>One hashed video frame: its number in the source, PDQ quality, hash and time in seconds.</summary>
public readonly record struct VpdqFrame(int FrameNumber, int Quality, PdqHash Hash, double Timestamp);

/// <summary>A problem on one line of a vPDQ file.</summary>
public sealed record VpdqLineError(int Line, string Message);

/// <summary>
/// The vPDQ text format of the reference implementation: one frame per line, <c>frame,quality,pdqhex,timestamp</c>
/// (timestamp in seconds with three decimals). Blank lines are ignored.
/// </summary>
public static class VpdqFormat
{
    /// <summary>Parses every line; returns the frames, and every bad line (the frames are only usable when there are none).</summary>
    public static (List<VpdqFrame> Frames, List<VpdqLineError> Errors) Parse(TextReader reader) => ParseLines<VpdqFrame>(reader, TryParseLine);

    internal delegate bool LineParser<T>(ReadOnlySpan<char> line, out T value, out string error);

    /// <summary>Every non-blank line through <paramref name="parse"/>; the values, and every bad line with its 1-based number.</summary>
    internal static (List<T> Values, List<VpdqLineError> Errors) ParseLines<T>(TextReader reader, LineParser<T> parse)
    {
        var values = new List<T>();
        var errors = new List<VpdqLineError>();
        var n = 0;
        while (reader.ReadLine() is { } line)
        {
            n++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (parse(line, out var value, out var error)) values.Add(value);
            else errors.Add(new VpdqLineError(n, error));
        }
        return (values, errors);
    }

    public static (List<VpdqFrame> Frames, List<VpdqLineError> Errors) Parse(string text) => Parse(new StringReader(text));

    public static bool TryParseLine(ReadOnlySpan<char> line, out VpdqFrame frame, out string error)
    {
        frame = default;
        Span<Range> parts = stackalloc Range[5];
        var count = line.Split(parts, ',', StringSplitOptions.TrimEntries);
        if (count != 4)
        {
            error = $"expected 4 comma-separated fields (frame,quality,pdqhex,timestamp); got {count}";
            return false;
        }
        if (!int.TryParse(line[parts[0]], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            error = $"frame number '{line[parts[0]]}' is not a non-negative integer";
            return false;
        }
        if (!int.TryParse(line[parts[1]], NumberStyles.None, CultureInfo.InvariantCulture, out var quality) || quality > 100)
        {
            error = $"quality '{line[parts[1]]}' is not an integer from 0 to 100";
            return false;
        }
        if (!PdqHash.TryParse(line[parts[2]], out var hash, out var hashError))
        {
            error = hashError;
            return false;
        }
        if (!double.TryParse(line[parts[3]], NumberStyles.Float, CultureInfo.InvariantCulture, out var time) || time < 0 || !double.IsFinite(time))
        {
            error = $"timestamp '{line[parts[3]]}' is not a non-negative number of seconds";
            return false;
        }
        frame = new VpdqFrame(number, quality, hash, time);
        error = "";
        return true;
    }

    public static string FormatLine(in VpdqFrame f) =>
        string.Create(CultureInfo.InvariantCulture, $"{f.FrameNumber},{f.Quality},{f.Hash},{f.Timestamp:F3}");

    public static void Write(IEnumerable<VpdqFrame> frames, TextWriter writer)
    {
        foreach (var f in frames) writer.Write(FormatLine(f) + "\n");
    }

    public static string ToText(IEnumerable<VpdqFrame> frames)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        Write(frames, w);
        return w.ToString();
    }
}
