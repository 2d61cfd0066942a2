namespace Bulwark.Tests.Classifiers;

/// <summary>Locates ../shared/testdata (or BULWARK_TESTDATA); tests that need it skip with a clear message when it is absent.</summary>
public static class ClassifierTestData
{
    public static string? Root { get; } = Find();

    public static string Path(params string[] parts)
    {
        Assert.SkipWhen(Root is null,
            "Shared test data not found: set BULWARK_TESTDATA or place it at ../shared/testdata beside the repository.");
        var path = System.IO.Path.Combine([Root!, .. parts]);
        Assert.SkipWhen(!File.Exists(path) && !Directory.Exists(path), $"Shared test data file '{path}' is missing.");
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
