using System.Text;
using Bulwark.Core.Security;

namespace Bulwark.Core.Signals.Classifiers.Training;

/// <summary>
/// A small RFC 4180 reader and writer: quoted fields may hold commas, quotes ("") and line breaks. The reader returns cells
/// verbatim (external data sets are read as published); files Bulwark wrote are read through <see cref="CsvCells.Unescape"/>
/// (<see cref="LabelledText.ReadFile"/>).
/// </summary>
public static class Csv
{
    /// <summary>The header (as column name → index, case-insensitive) and the records of a CSV file.</summary>
    /// <summary>The largest CSV file read (256 MiB): training and evaluation sets are far smaller; a larger file is refused before reading.</summary>
    public const long MaxFileBytes = 256L << 20;

    public static (Dictionary<string, int> Header, List<string[]> Rows) Read(string path, char delimiter = ',')
    {
        if (new FileInfo(path) is { Exists: true, Length: > MaxFileBytes } big)
            throw new InvalidDataException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{path}: the file is {big.Length:N0} bytes; the limit is 256 MiB."));
        using var reader = new StreamReader(path, Encoding.UTF8);
        var records = ReadRecords(reader, delimiter).ToList();
        if (records.Count == 0) throw new InvalidDataException($"{path}: the file is empty (a header row is required).");
        var header = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < records[0].Length; i++) header.TryAdd(records[0][i].Trim().TrimStart('\uFEFF'), i);
        return (header, records.Skip(1).Where(r => r.Length > 1 || r[0].Length > 0).ToList());
    }

    public static IEnumerable<string[]> ReadRecords(TextReader reader, char delimiter = ',')
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var any = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            any = true;
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch != '"') { field.Append(ch); continue; }
                if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                else inQuotes = false;
                continue;
            }
            switch (ch)
            {
                case '"': inQuotes = true; break;
                case var d when d == delimiter: fields.Add(field.ToString()); field.Clear(); break;
                case '\r': break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return fields.ToArray();
                    fields.Clear();
                    any = false;
                    break;
                default: field.Append(ch); break;
            }
        }
        if (any)
        {
            fields.Add(field.ToString());
            yield return fields.ToArray();
        }
    }

    /// <summary>One cell: neutralised against spreadsheet formulas and quoted as needed (<see cref="CsvCells.Field"/>).</summary>
    public static string Escape(string value) => CsvCells.Field(value);

    public static void WriteRow(TextWriter writer, params string[] fields) => writer.Write(string.Join(',', fields.Select(Escape)) + "\n");
}
