using Bulwark.Core.Signals.Entities.Importers;

namespace Bulwark.Tests.Entities;

public class ListDiffTests
{
    private static ListedRecord R(string key, string name = "Name", string? list = "Al-Qaida", params ListedName[] aliases) =>
        new("un-sc", key, "QDe." + key, ListedKind.Entity, list, name, [new ListedName(name, NameGrade.Strong), .. aliases],
            new DateOnly(2020, 1, 1), [], null);

    [Fact]
    public void Reports_added_changed_with_fields_and_delisted()
    {
        ListedRecord[] before = [R("1"), R("2"), R("3"), R("4", aliases: new ListedName("X", NameGrade.Weak))];
        ListedRecord[] after = [R("1"), R("2", name: "Renamed"), R("4", list: "Taliban", aliases: new ListedName("X", NameGrade.Former)), R("5")];

        var diff = ListDiff.Compute(before, after);

        Assert.Equal(["5"], diff.Added.Select(r => r.Key));
        Assert.Equal(["3"], diff.Delisted.Select(r => r.Key));
        Assert.Equal(1, diff.Unchanged);
        Assert.Equal(2, diff.Changed.Count);
        Assert.Equal(ListedField.PrimaryName | ListedField.Names, diff.Changed[0].Fields);
        Assert.Equal(ListedField.ListType | ListedField.Names, diff.Changed[1].Fields);
        Assert.False(diff.IsEmpty);
    }

    [Fact]
    public void Name_order_does_not_count_as_a_change()
    {
        var a = R("1", aliases: [new("A", NameGrade.Strong), new("B", NameGrade.Weak)]);
        var b = a with { Names = [.. a.Names.Reverse()] };
        Assert.Equal(ListedField.None, ListDiff.Differences(a, b));
    }

    [Theory]
    [InlineData(10, 8, 0.2, false)]   // exactly 20 %: allowed
    [InlineData(10, 7, 0.2, true)]    // 30 %: refused
    [InlineData(10, 9, 0.05, true)]
    [InlineData(0, 0, 0.2, false)]
    [InlineData(10, 0, 0.2, true)]
    [InlineData(10, 20, 0.0, false)]
    public void Shrink_guard(int previous, int current, double fraction, bool refused)
    {
        var before = Enumerable.Range(0, previous).Select(i => R(i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var after = Enumerable.Range(0, current).Select(i => R(i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var options = new ListDiffOptions { MaxShrinkFraction = fraction };

        if (refused)
        {
            var ex = Assert.Throws<ListShrinkRefusedException>(() => ListDiff.Compute(before, after, options));
            Assert.Equal(previous, ex.PreviousCount);
            Assert.Equal(current, ex.CurrentCount);
            var forced = ListDiff.Compute(before, after, options with { Force = true });
            Assert.Equal(previous - current, forced.Delisted.Count);
        }
        else
        {
            ListDiff.Compute(before, after, options);
        }
    }

    [Fact]
    public void Duplicate_keys_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => ListDiff.Compute([R("1"), R("1")], [R("1")]));
    }
}
