using Bulwark.Core.Reports.Research;

namespace Bulwark.Tests.Reports.Research;

/// <summary>The catalogue's definitions are complete, and the committed codebook is the one they generate.</summary>
public class ResearchCatalogueTests
{
    [Fact]
    public void The_committed_codebook_is_generated_from_the_catalogue()
    {
        var path = Path.Combine(RepoRoot(), "docs", "research-codebook.md");
        Assert.True(File.Exists(path), "docs/research-codebook.md is missing; run `bulwark research codebook --out docs/research-codebook.md`");
        Assert.Equal(Codebook.Markdown().ReplaceLineEndings(), File.ReadAllText(path).ReplaceLineEndings());
    }

    [Fact]
    public void Every_field_can_do_what_it_declares_and_names_are_unique()
    {
        foreach (var d in ResearchCatalogue.All)
        {
            Assert.Equal(d.Fields.Count, d.Fields.Select(f => f.Name).Distinct().Count());
            if (d.DateField is not null) Assert.NotNull(d.Field(d.DateField));
            foreach (var f in d.Fields)
            {
                var typed = f.GetType().GetProperty("Column")!.GetValue(f);
                var read = f.GetType().GetProperty("Read")!.GetValue(f);
                if (f.Operations.Count > 0 || f.Groupable) Assert.True(typed is not null, $"{d.Name}.{f.Name} filters or groups without a column");
                if (f.Returned && d.Queryable) Assert.True(read is not null, $"{d.Name}.{f.Name} is returned without a reader");
                Assert.NotEmpty(f.Description);
                Assert.NotEmpty(f.Changelog);
            }
            // Aggregate-only datasets return nothing item by item.
            if (!d.Queryable) Assert.DoesNotContain(d.Fields, f => f.GetType().GetProperty("Read")!.GetValue(f) is not null);
        }
    }

    [Fact]
    public void No_dataset_offers_private_fields()
    {
        string[] forbidden = ["handle", "display_name", "bio", "email", "linked_identifiers", "notes", "reviewed_by", "reviewer", "media", "url"];
        foreach (var d in ResearchCatalogue.All)
            Assert.DoesNotContain(d.Fields, f => forbidden.Any(x => f.Name.Contains(x, StringComparison.Ordinal)));
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Bulwark.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
