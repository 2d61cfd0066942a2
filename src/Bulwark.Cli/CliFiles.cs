using System.Globalization;
using System.Text;

namespace Bulwark.Cli;

/// <summary>
/// Size limits on every file the CLI reads, checked before reading, so a wrong or hostile file is refused at once with a
/// message naming it and the limit (a 38 MB rules file once took 132 s and 1.67 GB to be rejected). The limits, also listed
/// in the README: configuration (<c>--config</c>), rules files (each) and catalogues 1 MiB; name lists (<c>screen --names</c>)
/// 16 MiB; bank imports and classifier CSV files 256 MiB; media files (<c>hash</c>, <c>match</c>, <c>bank add</c>,
/// <c>ocr</c>) <c>Bulwark:Ingest:MaxVideoBytes</c> (1 GiB, the largest media limit); designated-entity lists
/// <c>Bulwark:Entities:MaxImportBytes</c> (64 MiB); <c>ingest</c> streams its file and limits each line to 4 MiB, the
/// API's limit for one event.
/// </summary>
public static class CliFiles
{
    public const long ConfigBytes = 1 << 20;
    public const long RulesFileBytes = 1 << 20;
    public const long CatalogueBytes = 1 << 20;
    public const long NamesBytes = 16 << 20;
    public const long BankImportBytes = 256L << 20;
    public const int IngestLineBytes = 4 << 20;
    public const int PasswordChars = 1024;

    /// <summary>Refuses a missing file, or one larger than <paramref name="limit"/>, naming it, what it is and the limit.</summary>
    public static void Check(string path, long limit, string what)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new CliException($"{path}: no such file");
        if (info.Length > limit)
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"{path}: {what} is {info.Length:N0} bytes; the limit is {Describe(limit)}."));
    }

    public static string Describe(long bytes) =>
        bytes % (1L << 30) == 0 ? $"{bytes >> 30} GiB" : bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB" : string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes");
}

/// <summary>Reads lines of at most a given number of UTF-8 bytes; a longer line is skipped (without holding it in memory) and reported.</summary>
public sealed class BoundedLineReader(TextReader reader, int maxBytes)
{
    private readonly char[] _buffer = new char[1 << 16];
    private readonly StringBuilder _line = new();
    private int _position, _length;

    /// <summary>The next line without its terminator (null at the end); <c>TooLong</c> when it exceeded the limit and was dropped.</summary>
    public async Task<(string? Line, bool TooLong)> ReadLineAsync(CancellationToken ct)
    {
        _line.Clear();
        long bytes = 0;
        var tooLong = false;
        var any = false;
        while (true)
        {
            if (_position == _length)
            {
                _length = await reader.ReadAsync(_buffer, ct);
                _position = 0;
                if (_length == 0)
                {
                    if (!any) return (null, false);
                    return tooLong ? ("", true) : (_line.ToString(), false);
                }
            }
            any = true;
            var c = _buffer[_position++];
            if (c == '\n')
            {
                if (tooLong) return ("", true);
                if (_line.Length > 0 && _line[^1] == '\r') _line.Length--;
                return (_line.ToString(), false);
            }
            if (tooLong) continue;
            bytes += c < 0x80 ? 1 : c < 0x800 || char.IsSurrogate(c) ? 2 : 3;
            if (bytes > maxBytes) { tooLong = true; _line.Clear(); continue; }
            _line.Append(c);
        }
    }
}
