using Bulwark.Core.Reports.Research;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bulwark.Tests.Reports.Research;

/// <summary>
/// Aggregate suppression: no published cell is below the floor, and no suppressed value can be recomputed as a published total
/// minus the published values of its row or column (the lines of the table), for any table.
/// </summary>
public class CellSuppressionProperties
{
    private const int Floor = 10;

    /// <summary>One- and two-way tables of up to 5×5 groups, counts biased to straddle the floor.</summary>
    private static Arbitrary<List<GroupCount>> Tables() =>
        (from twoWay in Gen.Elements(false, true)
         from rows in Gen.Choose(1, 5)
         from cols in Gen.Choose(1, 5)
         from counts in Gen.ArrayOf(Gen.OneOf(Gen.Choose(0, 0), Gen.Choose(1, 9), Gen.Choose(10, 40)), rows * cols)
         select Enumerable.Range(0, rows).SelectMany(r => Enumerable.Range(0, twoWay ? cols : 1)
                 .Select(c => new GroupCount(twoWay ? [$"r{r}", $"c{c}"] : [$"r{r}"], counts[r * cols + c])))
             .Where(g => g.Count > 0).ToList())
        .ToArbitrary();

    [Property(MaxTest = 2000)]
    public Property No_suppressed_value_equals_a_published_total_minus_the_published_values_of_its_line() => Prop.ForAll(Tables(), groups =>
    {
        var t = CellSuppression.Suppress(groups, Floor);
        var lines = Lines(t);
        foreach (var (total, members) in lines)
        {
            if (total.Hidden) continue;
            var visibleSum = members.Where(m => !m.Hidden).Sum(m => m.Value);
            foreach (var m in members.Where(m => m.Hidden))
                if (m.Value == total.Value - visibleSum) return false.Label($"a suppressed value {m.Value} is recomputable from its line: total {total.Value}, published {visibleSum}");
        }
        // Primary suppression: nothing published is a positive count below the floor.
        return Values(t).All(v => v.Hidden || v.Value == 0 || v.Value >= Floor).Label("a published count is below the floor");
    });

    [Property(MaxTest = 500)]
    public Property Every_cell_at_or_above_the_floor_in_a_table_without_small_cells_is_published() => Prop.ForAll(Tables(), groups =>
    {
        var big = groups.Where(g => g.Count >= Floor).ToList();
        var t = CellSuppression.Suppress(big, Floor);
        return Values(t).All(v => !v.Hidden);
    });

    [Fact]
    public void A_single_small_cell_in_a_one_way_table_takes_the_smallest_other_cell_with_it()
    {
        var t = CellSuppression.Suppress([new(["IT"], 40), new(["GB"], 12), new(["DE"], 3)], Floor);
        Assert.Equal(["DE", "GB", "IT"], t.Rows);
        Assert.Equal([true, true, false], Enumerable.Range(0, 3).Select(r => t.CellSuppressed[r, 0]));
        Assert.False(t.TotalSuppressed);
        Assert.Equal(55, t.Total);
    }

    [Fact]
    public void A_small_cell_that_is_alone_in_its_line_hides_the_total_instead()
    {
        var t = CellSuppression.Suppress([new(["IT"], 4)], Floor);
        Assert.True(t.CellSuppressed[0, 0]);
        Assert.True(t.TotalSuppressed);
    }

    private sealed record V(long Value, bool Hidden);

    private static IEnumerable<V> Values(SuppressedTable t)
    {
        for (var r = 0; r < t.Rows.Count; r++)
            for (var c = 0; c < t.Columns.Count; c++) yield return new(t.Counts[r, c], t.CellSuppressed[r, c]);
        if (t.TwoWay)
        {
            for (var r = 0; r < t.Rows.Count; r++) yield return new(t.RowTotals[r], t.RowTotalSuppressed[r]);
            for (var c = 0; c < t.Columns.Count; c++) yield return new(t.ColumnTotals[c], t.ColumnTotalSuppressed[c]);
        }
        yield return new(t.Total, t.TotalSuppressed);
    }

    /// <summary>The published lines, computed independently of the implementation: rows, columns, and the margins under the grand total.</summary>
    private static List<(V Total, List<V> Members)> Lines(SuppressedTable t)
    {
        int R = t.Rows.Count, C = t.Columns.Count;
        var cell = (int r, int c) => new V(t.Counts[r, c], t.CellSuppressed[r, c]);
        var grand = new V(t.Total, t.TotalSuppressed);
        if (!t.TwoWay) return [(grand, Enumerable.Range(0, R).Select(r => cell(r, 0)).ToList())];
        var lines = new List<(V, List<V>)>();
        for (var r = 0; r < R; r++) lines.Add((new V(t.RowTotals[r], t.RowTotalSuppressed[r]), Enumerable.Range(0, C).Select(c => cell(r, c)).ToList()));
        for (var c = 0; c < C; c++) lines.Add((new V(t.ColumnTotals[c], t.ColumnTotalSuppressed[c]), Enumerable.Range(0, R).Select(r => cell(r, c)).ToList()));
        lines.Add((grand, Enumerable.Range(0, R).Select(r => new V(t.RowTotals[r], t.RowTotalSuppressed[r])).ToList()));
        lines.Add((grand, Enumerable.Range(0, C).Select(c => new V(t.ColumnTotals[c], t.ColumnTotalSuppressed[c])).ToList()));
        return lines;
    }
}
