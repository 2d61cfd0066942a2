using System.Globalization;
using System.Text;
using Bulwark.Core.Security;

namespace Bulwark.Core.Signals.Entities.Importers;

/// <summary>
/// The documented columns of an expert or civil-society list. The header row must name exactly these columns (any order, case-insensitive).
/// The key is the normalised values of <see cref="KeyColumns"/> joined with '|'; the other non-empty columns go to the comments.
/// </summary>
public sealed record CsvListFormat(
    IReadOnlyList<string> Columns,
    string NameColumn,
    IReadOnlyList<string> KeyColumns,
    string? ListTypeColumn = null,
    IReadOnlyList<string>? IntegerColumns = null,
    ListedKind Kind = ListedKind.Entity)
{
    /// <summary>SPLC hate-group map export: <c>Title,City,State,Group,Ideology,Headquarters,Statewide,Year</c>; key = title + state.</summary>
    public static CsvListFormat Splc { get; } = new(
        ["Title", "City", "State", "Group", "Ideology", "Headquarters", "Statewide", "Year"],
        NameColumn: "Title",
        KeyColumns: ["Title", "State"],
        ListTypeColumn: "Ideology",
        IntegerColumns: ["Year"]);
}

/// <summary>
/// Parses RFC 4180 CSV (quoted fields, "" escapes, line breaks inside quotes, CRLF or LF) in a documented <see cref="CsvListFormat"/>.
/// Every bad row is reported with the line it starts on; rows repeating a key are merged into the first one with a warning.
/// </summary>
public static class CsvListParser
{
    public static ListParseResult ParseFile(string path, string source, CsvListFormat format, ListParserOptions? options = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        return Parse(stream, source, format, options);
    }

    public static ListParseResult Parse(Stream input, string source, CsvListFormat format, ListParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        ArgumentNullException.ThrowIfNull(format);
        options ??= ListParserOptions.Default;
        using var guard = new Utf8GuardStream(input, options.MaxBytes);
        using var text = new StreamReader(guard, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024, leaveOpen: true);
        var rows = new CsvReader(text);

        var issues = new List<ListParseIssue>();
        var header = rows.Next(out var headerLine, out var headerError);
        if (header is null)
            throw new ListFormatException(headerError ?? "The CSV file is empty: expected a header row.", headerLine);
        if (header.Count > 0 && header[0].StartsWith('\uFEFF')) header[0] = header[0][1..];
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
            if (!index.TryAdd(header[i].Trim(), i))
                throw new ListFormatException($"Line {headerLine}: the header repeats column '{header[i].Trim()}'.", headerLine);
        var missing = format.Columns.Where(c => !index.ContainsKey(c)).ToList();
        var extra = index.Keys.Where(k => !format.Columns.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new ListFormatException(
                $"Line {headerLine}: the header does not match the documented columns {string.Join(',', format.Columns)}" +
                (missing.Count > 0 ? $"; missing: {string.Join(',', missing)}" : "") +
                (extra.Count > 0 ? $"; unexpected: {string.Join(',', extra)}" : "") + ".", headerLine);

        var records = new List<ListedRecord>();
        var byKey = new Dictionary<string, int>(StringComparer.Ordinal);
        var keyLine = new Dictionary<string, int>(StringComparer.Ordinal);
        while (true)
        {
            var row = rows.Next(out var line, out var error);
            if (error is not null) { issues.Add(new(ListIssueSeverity.Error, line, null, error)); if (row is null) break; continue; }
            if (row is null) break;
            if (row.Count == 1 && row[0].Length == 0) continue; // blank line
            if (row.Count != header.Count)
            {
                issues.Add(new(ListIssueSeverity.Error, line, null, $"Expected {header.Count} fields, found {row.Count}."));
                continue;
            }
            // Trimmed, but never of whitespace that stands in front of a formula character (CsvCells.Trim).
            string Field(string column) => CsvCells.Trim(row[index[column]]);

            var name = NameText.Clean(Field(format.NameColumn));
            if (name is null)
            {
                issues.Add(new(ListIssueSeverity.Error, line, null, $"Empty {format.NameColumn}."));
                continue;
            }
            var bad = false;
            foreach (var column in format.IntegerColumns ?? [])
            {
                var v = Field(column);
                if (v.Length > 0 && !int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    issues.Add(new(ListIssueSeverity.Error, line, null, $"{column} '{v}' is not a whole number."));
                    bad = true;
                }
            }
            if (bad) continue;

            var key = string.Join('|', format.KeyColumns.Select(c => NameText.Normalise(Field(c))));
            var comments = string.Join("; ", format.Columns
                .Where(c => !string.Equals(c, format.NameColumn, StringComparison.OrdinalIgnoreCase) && Field(c).Length > 0)
                .Select(c => $"{c}: {NameText.Clean(Field(c))}"));
            if (byKey.TryGetValue(key, out var existing))
            {
                var first = records[existing];
                issues.Add(new(ListIssueSeverity.Warning, line, key, $"Same key as line {keyLine[key]}; merged into that record."));
                if (comments.Length > 0 && first.Comments?.Contains(comments, StringComparison.Ordinal) != true)
                    records[existing] = first with { Comments = first.Comments is null ? comments : first.Comments + Environment.NewLine + comments };
                continue;
            }
            byKey[key] = records.Count;
            keyLine[key] = line;
            var listType = format.ListTypeColumn is null ? null : NameText.Clean(Field(format.ListTypeColumn));
            records.Add(new ListedRecord(source, key, null, format.Kind, listType, name,
                [new ListedName(name, NameGrade.Strong, NameText.HasNonLatinLetters(name))],
                null, [], comments.Length == 0 ? null : comments));
        }
        return new ListParseResult(records, issues);
    }

    /// <summary>A minimal RFC 4180 record reader over characters, tracking the line each record starts on.</summary>
    private sealed class CsvReader(TextReader reader)
    {
        private int _line = 1;

        /// <summary>The next record, or null at the end. An unterminated quote yields an error and ends the file.</summary>
        public List<string>? Next(out int startLine, out string? error)
        {
            startLine = _line;
            error = null;
            if (reader.Peek() < 0) return null;
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;       // inside a quoted field
            var wasQuoted = false;    // the current field started with a quote
            while (true)
            {
                var c = reader.Read();
                if (c < 0)
                {
                    if (quoted)
                    {
                        error = $"Unterminated quoted field starting on line {startLine}.";
                        return null;
                    }
                    fields.Add(field.ToString());
                    return fields;
                }
                if (quoted)
                {
                    if (c == '"')
                    {
                        if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                        else quoted = false;
                    }
                    else
                    {
                        if (c == '\n') _line++;
                        field.Append((char)c);
                    }
                    continue;
                }
                switch (c)
                {
                    case ',':
                        fields.Add(field.ToString());
                        field.Clear();
                        wasQuoted = false;
                        break;
                    case '\r':
                        if (reader.Peek() == '\n') reader.Read();
                        _line++;
                        fields.Add(field.ToString());
                        return fields;
                    case '\n':
                        _line++;
                        fields.Add(field.ToString());
                        return fields;
                    case '"' when field.Length == 0 && !wasQuoted:
                        quoted = true;
                        wasQuoted = true;
                        break;
                    case '"':
                        // A quote inside an unquoted field or after a closing quote: not RFC 4180. Report, skip the rest of the line.
                        SkipLine();
                        error = $"Stray quote in field {fields.Count + 1}.";
                        return fields;
                    default:
                        if (wasQuoted)
                        {
                            SkipLine();
                            error = $"Text after the closing quote of field {fields.Count + 1}.";
                            return fields;
                        }
                        field.Append((char)c);
                        break;
                }
            }
        }

        private void SkipLine()
        {
            while (true)
            {
                var c = reader.Read();
                if (c < 0) return;
                if (c == '\n') { _line++; return; }
                if (c == '\r') { if (reader.Peek() == '\n') reader.Read(); _line++; return; }
            }
        }
    }
}
