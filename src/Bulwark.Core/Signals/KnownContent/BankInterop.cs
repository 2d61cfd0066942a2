using System.Text;
using Bulwark.Core.Security;

namespace Bulwark.Core.Signals.KnownContent;

/// <summary>Entries read from a file, each with the line it came from (so validation errors can name the line).</summary>
public sealed record ParsedEntries(List<NewEntry> Entries, List<int> Lines, List<EntryError> Errors);

/// <summary>
/// python-threatexchange interchange formats. CSV: <c>signal_type,signal_str,collab,category,tags</c> (RFC 4180 quoting;
/// a header row is optional on import and written on export). Bulwark maps <c>collab</c> ↔ source, <c>category</c> ↔
/// attributed entity and <c>tags</c> (space-separated) ↔ labels. <c>local_file</c>: one <c>&lt;signal_type&gt; &lt;signal&gt;</c>
/// per line. vPDQ values travel in one line with frames separated by ';'. Cells are written and read with <see cref="CsvCells"/>:
/// text a spreadsheet would run is written behind a quote, and reading takes exactly that quote off again.
/// </summary>
public static class BankInterop
{
    public const string CsvHeader = "signal_type,signal_str,collab,category,tags";

    public static ParsedEntries ParseCsv(TextReader reader)
    {
        var result = new ParsedEntries([], [], []);
        var line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text) || (line == 1 && text.Trim().Equals(CsvHeader, StringComparison.OrdinalIgnoreCase))) continue;
            var fields = SplitCsv(text, out var error);
            if (fields is null) { result.Errors.Add(new EntryError(line, error!)); continue; }
            if (fields.Count != 5) { result.Errors.Add(new EntryError(line, $"expected 5 fields ({CsvHeader}); got {fields.Count}")); continue; }
            result.Entries.Add(new NewEntry(fields[0], fields[1], fields[4].Split(' ', StringSplitOptions.RemoveEmptyEntries),
                Entity: NullIfEmpty(fields[3]), Source: NullIfEmpty(fields[2])));
            result.Lines.Add(line);
        }
        return result;
    }

    public static ParsedEntries ParseLocalFile(TextReader reader)
    {
        var result = new ParsedEntries([], [], []);
        var line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            text = text.Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            var space = text.IndexOf(' ');
            if (space < 0) { result.Errors.Add(new EntryError(line, "expected '<signal_type> <signal>'")); continue; }
            result.Entries.Add(new NewEntry(text[..space], text[(space + 1)..].Trim()));
            result.Lines.Add(line);
        }
        return result;
    }

    public static void WriteCsv(IEnumerable<EntryView> entries, TextWriter writer)
    {
        writer.Write(CsvHeader + "\n");
        foreach (var e in entries)
            writer.Write(CsvCells.Row(e.SignalType, Signal(e), e.Source, e.Entity, string.Join(' ', e.Labels.Select(l => l.Replace(' ', '_')))) + "\n");
    }

    public static void WriteLocalFile(IEnumerable<EntryView> entries, TextWriter writer)
    {
        foreach (var e in entries) writer.Write($"{e.SignalType} {Signal(e)}\n");
    }

    /// <summary>vPDQ entries export the frames other tools would have hashed (with black bars; <see cref="EntryView.ExportPayload"/>).</summary>
    private static string Signal(EntryView e) => (e.ExportPayload ?? e.Payload) is { } p ? KnownSignalTypes.VpdqOneLine(p) : e.Value;

    private static string? NullIfEmpty(string s) => string.IsNullOrWhiteSpace(s) ? null : s;

    private static List<string>? SplitCsv(string line, out string? error)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        var i = 0;
        while (true)
        {
            sb.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length) { error = "unterminated quoted field"; return null; }
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    sb.Append(line[i++]);
                }
                if (i < line.Length && line[i] != ',') { error = $"unexpected character after a quoted field at column {i + 1}"; return null; }
            }
            else
                while (i < line.Length && line[i] != ',') sb.Append(line[i++]);
            fields.Add(CsvCells.Unescape(CsvCells.Trim(sb.ToString())));
            if (i >= line.Length) break;
            i++; // the comma
        }
        error = null;
        return fields;
    }
}
