using System.Globalization;
using Bulwark.Core.Security;

namespace Bulwark.Core.Signals.Classifiers.Training;

/// <summary>
/// One row of a training or evaluation file. The CSV format (header required, any column order, extra columns ignored):
/// <c>text</c> (required); <c>threat</c>, <c>glorification</c>, <c>hate</c>: <c>1</c>, <c>0</c> or empty (unknown: the row is
/// left out of that head); optional <c>weight</c> (default 1), <c>lang</c>, <c>source</c>.
/// HateCheck files (<c>functionality</c>, <c>test_case</c>, <c>label_gold</c>) are read too: their rows carry the
/// functionality and the gold hateful/non-hateful label instead of per-head labels.
/// </summary>
public sealed record LabelledText(string Text, IReadOnlyDictionary<string, bool> Labels, float Weight = 1, string? Language = null,
    string? Source = null, string? Functionality = null, bool? Hateful = null)
{
    public static IReadOnlyList<string> Header { get; } = ["text", .. ClassifierLabels.All, "weight", "lang", "source"];

    public string[] ToCsvFields() =>
    [
        Text, .. ClassifierLabels.All.Select(l => Labels.TryGetValue(l, out var v) ? (v ? "1" : "0") : ""),
        Weight.ToString("0.###", CultureInfo.InvariantCulture), Language ?? "", Source ?? "",
    ];

    /// <summary>Reads either format; a clear <see cref="InvalidDataException"/> names the file and line of a bad value.</summary>
    public static List<LabelledText> ReadFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Data file '{path}' does not exist.", path);
        var (header, rows) = Csv.Read(path);
        var result = new List<LabelledText>(rows.Count);
        if (header.TryGetValue("test_case", out var caseCol) && header.TryGetValue("label_gold", out var goldCol) && header.TryGetValue("functionality", out var funcCol))
        {
            foreach (var r in rows)
            {
                var gold = Get(r, goldCol).Trim();
                if (gold is not ("hateful" or "non-hateful")) throw new InvalidDataException($"{path}: label_gold must be hateful or non-hateful, not '{gold}'.");
                result.Add(new LabelledText(Get(r, caseCol).Trim(), new Dictionary<string, bool>(), Functionality: Get(r, funcCol).Trim(), Hateful: gold == "hateful", Language: "en"));
            }
            return result;
        }
        if (!header.TryGetValue("text", out var textCol))
            throw new InvalidDataException($"{path}: no 'text' column (expected text,threat,glorification,hate[,weight,lang,source] or HateCheck's functionality,test_case,label_gold).");
        var labelCols = ClassifierLabels.All.Where(header.ContainsKey).Select(l => (Label: l, Col: header[l])).ToList();
        if (labelCols.Count == 0) throw new InvalidDataException($"{path}: no label column; expected at least one of {string.Join(", ", ClassifierLabels.All)}.");
        header.TryGetValue("weight", out var weightCol);
        var hasWeight = header.ContainsKey("weight");
        header.TryGetValue("lang", out var langCol);
        var hasLang = header.ContainsKey("lang");
        header.TryGetValue("source", out var sourceCol);
        var hasSource = header.ContainsKey("source");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var labels = new Dictionary<string, bool>();
            foreach (var (label, col) in labelCols)
            {
                var v = Get(r, col).Trim();
                if (v.Length == 0) continue;
                labels[label] = v switch
                {
                    "1" or "true" => true,
                    "0" or "false" => false,
                    _ => throw new InvalidDataException($"{path}: record {i + 2}: {label} must be 1, 0 or empty, not '{v}'."),
                };
            }
            var weight = 1f;
            if (hasWeight && Get(r, weightCol).Trim() is { Length: > 0 } w && (!float.TryParse(w, NumberStyles.Float, CultureInfo.InvariantCulture, out weight) || weight <= 0))
                throw new InvalidDataException($"{path}: record {i + 2}: weight must be a positive number, not '{w}'.");
            // Bulwark's own format: take off the quote the writer put before text a spreadsheet would run (CsvCells).
            result.Add(new LabelledText(CsvCells.Unescape(Get(r, textCol)), labels, weight,
                hasLang ? NullIfEmpty(CsvCells.Unescape(Get(r, langCol))) : null, hasSource ? NullIfEmpty(CsvCells.Unescape(Get(r, sourceCol))) : null));
        }
        return result;
    }

    public static void WriteFile(string path, IEnumerable<LabelledText> rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var w = new StreamWriter(path, false, new System.Text.UTF8Encoding(false));
        Csv.WriteRow(w, [.. Header]);
        foreach (var r in rows) Csv.WriteRow(w, r.ToCsvFields());
    }

    private static string Get(string[] row, int col) => col < row.Length ? row[col] : "";
    private static string? NullIfEmpty(string s) => s.Trim().Length == 0 ? null : s.Trim();
}
