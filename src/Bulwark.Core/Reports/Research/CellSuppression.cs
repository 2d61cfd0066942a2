namespace Bulwark.Core.Reports.Research;

/// <summary>A count table: cells by (row, column) key, with row, column and grand totals; null = suppressed.</summary>
public sealed class SuppressedTable
{
    public required IReadOnlyList<string?> Rows { get; init; }
    /// <summary>A single null column for a one-way table.</summary>
    public required IReadOnlyList<string?> Columns { get; init; }
    /// <summary>[row, column]; 0 for an empty cell (never suppressed: an absent group reveals nothing about anyone).</summary>
    public required long[,] Counts { get; init; }
    public required bool[,] CellSuppressed { get; init; }
    public required long[] RowTotals { get; init; }
    public required bool[] RowTotalSuppressed { get; init; }
    public required long[] ColumnTotals { get; init; }
    public required bool[] ColumnTotalSuppressed { get; init; }
    public required long Total { get; init; }
    public required bool TotalSuppressed { get; init; }
    public bool TwoWay => Columns.Count > 1 || Columns[0] is not null;
}

/// <summary>
/// Primary suppression of counts below a floor, then complementary suppression: in every published line (a row with its
/// total, a column with its total, the row totals and the column totals with the grand total) no suppressed value may be the
/// only one, so none equals a published total minus the published values of its line. When a line has a single suppressed
/// value, the smallest positive published one is suppressed too, or the line's total when there is none; repeated until no
/// line changes (suppression only grows, so it ends).
/// </summary>
public static class CellSuppression
{
    public static SuppressedTable Suppress(IReadOnlyList<GroupCount> groups, int floor)
    {
        var rows = groups.Select(g => g.Keys[0]).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToList();
        var twoWay = groups.Count > 0 && groups[0].Keys.Count > 1;
        var cols = twoWay ? groups.Select(g => g.Keys[1]).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToList() : [null];
        if (rows.Count == 0) rows.Add(null);
        var counts = new long[rows.Count, cols.Count];
        foreach (var g in groups)
            counts[rows.IndexOf(g.Keys[0]), twoWay ? cols.IndexOf(g.Keys[1]) : 0] += g.Count;

        // Values: cells, then row totals, column totals, grand total, each with an index into one flat array.
        int R = rows.Count, C = cols.Count;
        int Cell(int r, int c) => r * C + c;
        int RowT(int r) => R * C + r;
        int ColT(int c) => R * C + R + c;
        var grand = R * C + R + C;
        var value = new long[grand + 1];
        for (var r = 0; r < R; r++)
            for (var c = 0; c < C; c++)
            {
                value[Cell(r, c)] = counts[r, c];
                value[RowT(r)] += counts[r, c];
                value[ColT(c)] += counts[r, c];
                value[grand] += counts[r, c];
            }

        // Lines: (total, members). One-way tables publish only cells and the grand total (= the single row's total).
        var lines = new List<(int Total, int[] Members)>();
        if (!twoWay)
            lines.Add((grand, Enumerable.Range(0, R).Select(r => Cell(r, 0)).ToArray()));
        else
        {
            for (var r = 0; r < R; r++) lines.Add((RowT(r), Enumerable.Range(0, C).Select(c => Cell(r, c)).ToArray()));
            for (var c = 0; c < C; c++) lines.Add((ColT(c), Enumerable.Range(0, R).Select(r => Cell(r, c)).ToArray()));
            lines.Add((grand, Enumerable.Range(0, R).Select(RowT).ToArray()));
            lines.Add((grand, Enumerable.Range(0, C).Select(ColT).ToArray()));
        }

        var hidden = new bool[grand + 1];
        for (var i = 0; i <= grand; i++) hidden[i] = value[i] > 0 && value[i] < floor;
        if (!twoWay) for (var r = 0; r < R; r++) { hidden[RowT(r)] = true; } // not published separately in a one-way table
        if (!twoWay) hidden[ColT(0)] = true;

        bool changed;
        do
        {
            changed = false;
            foreach (var (total, members) in lines)
            {
                if (hidden[total]) continue;
                var suppressed = members.Count(m => hidden[m]);
                if (suppressed != 1) continue;
                var candidate = members.Where(m => !hidden[m] && value[m] > 0).OrderBy(m => value[m]).ThenBy(m => m).FirstOrDefault(-1);
                if (candidate >= 0) hidden[candidate] = true;
                else hidden[total] = true;
                changed = true;
            }
        } while (changed);

        var cellHidden = new bool[R, C];
        for (var r = 0; r < R; r++) for (var c = 0; c < C; c++) cellHidden[r, c] = hidden[Cell(r, c)];
        return new SuppressedTable
        {
            Rows = rows, Columns = cols, Counts = counts, CellSuppressed = cellHidden,
            RowTotals = Enumerable.Range(0, R).Select(r => value[RowT(r)]).ToArray(),
            RowTotalSuppressed = Enumerable.Range(0, R).Select(r => hidden[RowT(r)]).ToArray(),
            ColumnTotals = Enumerable.Range(0, C).Select(c => value[ColT(c)]).ToArray(),
            ColumnTotalSuppressed = Enumerable.Range(0, C).Select(c => hidden[ColT(c)]).ToArray(),
            Total = value[grand], TotalSuppressed = hidden[grand],
        };
    }
}
