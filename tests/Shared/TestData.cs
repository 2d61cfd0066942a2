namespace Bulwark.Testing;

/// <summary>Locates ../shared/testdata (or BULWARK_TESTDATA); tests that need it skip with a clear message when it is absent.</summary>
public static class TestData
{
    public static string? Root { get; } = Find();

    public static string Path(params string[] parts)
    {
        Assert.SkipWhen(Root is null,
            "Shared test data not found: set BULWARK_TESTDATA or place it at ../shared/testdata beside the repository (scripts/fetch-testdata.sh downloads it).");
        var path = System.IO.Path.Combine([Root!, .. parts]);
        // A clone filled by scripts/fetch-testdata.sh lacks the curated files; in CI the full folder is present.
        Assert.SkipWhen(!File.Exists(path) && !Directory.Exists(path), $"{path} is not in the test data folder (scripts/fetch-testdata.sh cannot reproduce every curated file).");
        return path;
    }

    private static string? Find()
    {
        var env = Environment.GetEnvironmentVariable("BULWARK_TESTDATA");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "testdata");
            if (Directory.Exists(candidate)) return candidate;
            if (Directory.Exists(System.IO.Path.Combine(dir.FullName, ".git")))
            {
                var sibling = System.IO.Path.Combine(dir.FullName, "..", "shared", "testdata");
                if (Directory.Exists(sibling)) return System.IO.Path.GetFullPath(sibling);
            }
        }
        return null;
    }
}
