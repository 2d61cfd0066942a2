using System.Reflection;
using System.Text.RegularExpressions;
using Bulwark.Core.Pipeline;
using Microsoft.Extensions.Configuration;

namespace Bulwark.Tests.Deploy;

/// <summary>
/// deploy/compose.yaml is checked against the code: every <c>Bulwark__…</c> environment key it sets must be a setting the code
/// binds. The settings are enumerated from the options classes (every type with a <c>Section</c> constant, walked property by
/// property as the configuration binder does) and the few keys read directly (<c>…Key</c> constants), not from a hand list.
/// </summary>
public class ComposeFileTests
{
    private static string RepoFile(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine([dir.FullName, .. parts]);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"{Path.Combine(parts)} not found above {AppContext.BaseDirectory}");
    }

    private static readonly Assembly[] CodeAssemblies =
        [typeof(PipelineOptions).Assembly, typeof(Bulwark.Queue.JetStream.JetStreamOptions).Assembly, typeof(Program).Assembly];

    /// <summary>Setting keys (<c>Section:Property[:Nested]</c>) and prefixes under which any key binds (dictionaries, lists).</summary>
    public static (HashSet<string> Keys, List<string> Prefixes) BoundSettings()
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var prefixes = new List<string>();
        foreach (var type in CodeAssemblies.SelectMany(a => a.GetTypes()))
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                if (!field.IsLiteral || field.FieldType != typeof(string) || field.GetRawConstantValue() is not string value) continue;
                if (field.Name == "Section" && value.StartsWith("Bulwark:", StringComparison.Ordinal)) Walk(type, value, keys, prefixes, 0);
                else if (field.Name.EndsWith("Key", StringComparison.Ordinal) && value.StartsWith("Bulwark:", StringComparison.Ordinal)) keys.Add(value);
            }
        }
        // Read with GetConnectionString("Bulwark") (Storage/StorageRegistration.cs), the framework's own section.
        keys.Add("ConnectionStrings:Bulwark");
        return (keys, prefixes);
    }

    private static void Walk(Type type, string prefix, HashSet<string> keys, List<string> prefixes, int depth)
    {
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0) continue;
            var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            var key = $"{prefix}:{p.Name}";
            if (t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(DateTimeOffset) || t == typeof(Uri))
            {
                if (p.SetMethod is { IsPublic: true }) keys.Add(key);
            }
            else if (typeof(System.Collections.IEnumerable).IsAssignableFrom(t)) prefixes.Add(key + ":");
            else if (t.IsClass && depth < 4) Walk(t, key, keys, prefixes, depth + 1);
        }
    }

    private static bool Bound(string key, (HashSet<string> Keys, List<string> Prefixes) settings) =>
        settings.Keys.Contains(key) || settings.Prefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every environment key of the compose file that configures Bulwark, as a configuration key (<c>__</c> → <c>:</c>).</summary>
    private static List<string> ComposeSettingKeys(string yaml) =>
        Regex.Matches(yaml, @"^\s+((?:Bulwark|ConnectionStrings)__[A-Za-z0-9_]+)\s*:", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value.Replace("__", ":", StringComparison.Ordinal)).Distinct().ToList();

    [Fact]
    public void The_enumeration_finds_the_settings_the_code_binds_and_nothing_invented()
    {
        var settings = BoundSettings();
        foreach (var known in new[] { "Bulwark:Queue:JetStream:Url", "Bulwark:Queue:JetStream:Replicas", "Bulwark:Database:Provider",
                     "Bulwark:Pipeline:LeaseSeconds", "Bulwark:Roles", "Bulwark:Queue:Provider", "Bulwark:Webhooks:KeysPath" })
            Assert.True(Bound(known, settings), $"{known} should be found");
        foreach (var invented in new[] { "Bulwark:Queue:JetStream:Urls", "Bulwark:Role", "Bulwark:Pipeline:Lease", "Bulwark:Nothing:Here" })
            Assert.False(Bound(invented, settings), $"{invented} should not be found");
    }

    [Fact]
    public void Every_Bulwark_key_in_the_compose_file_is_a_setting_the_code_binds()
    {
        var yaml = File.ReadAllText(RepoFile("deploy", "compose.yaml"));
        var keys = ComposeSettingKeys(yaml);
        Assert.Contains("Bulwark:Queue:JetStream:Url", keys);
        var settings = BoundSettings();
        var unknown = keys.Where(k => !Bound(k, settings)).ToList();
        Assert.True(unknown.Count == 0, $"compose.yaml sets keys no code reads: {string.Join(", ", unknown)}");
    }

    /// <summary>Every <c>`Bulwark:…`</c> key a page names in code quotes (a key ends where the quote or a space does).</summary>
    private static List<string> DocumentedKeys(string markdown) =>
        Regex.Matches(markdown, @"`(Bulwark:[A-Za-z0-9:]+)`").Select(m => m.Groups[1].Value).Distinct().ToList();

    [Theory]
    [InlineData("docs/deployment.md")]
    [InlineData("docs/scale-out.md")]
    [InlineData("README.md")]
    public void Every_setting_a_deployment_page_names_is_a_setting_the_code_binds(string page)
    {
        var keys = DocumentedKeys(File.ReadAllText(RepoFile(page.Split('/'))));
        Assert.NotEmpty(keys);
        var settings = BoundSettings();
        // A page may name a section (`Bulwark:Audit:Anchor`) or a list (`…:AllowedInternal`) as well as a single setting.
        bool Named(string k) => Bound(k, settings) || settings.Keys.Any(b => b.StartsWith(k + ":", StringComparison.OrdinalIgnoreCase))
            || settings.Prefixes.Any(p => p.StartsWith(k + ":", StringComparison.OrdinalIgnoreCase));
        var unknown = keys.Where(k => !Named(k)).ToList();
        Assert.True(unknown.Count == 0, $"{page} names settings no code reads: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void The_image_creates_every_shared_folder_the_compose_file_points_Bulwark_at()
    {
        // A named volume mounted on a folder the image lacks is created root-owned, and the image runs as `app`: each shared
        // path the compose file configures must be a folder the Dockerfile creates and gives to `app`, and a mounted volume.
        var yaml = File.ReadAllText(RepoFile("deploy", "compose.yaml"));
        var dockerfile = File.ReadAllText(RepoFile("deploy", "Dockerfile"));
        var paths = Regex.Matches(yaml, @"Bulwark__[A-Za-z_]+Path:\s*(/\S+)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["/data/media", "/data/keys", "/data/preservation"], paths);
        var created = Regex.Match(dockerfile, @"RUN mkdir -p ([^&\n]+)&& chown -R app:app (\S+)");
        Assert.True(created.Success, "the Dockerfile should create the shared folders and give them to app");
        Assert.Contains("USER app", dockerfile);
        foreach (var path in paths)
        {
            Assert.Contains(path, created.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith(created.Groups[2].Value, path, StringComparison.Ordinal);
            Assert.Matches(@"- [a-z]+:" + Regex.Escape(path) + @"\n", yaml);
        }
    }

    [Fact]
    public void The_compose_file_runs_the_deployment_of_issue_22()
    {
        var yaml = File.ReadAllText(RepoFile("deploy", "compose.yaml"));
        var services = Regex.Match(yaml, @"^services:\n((?:[ \t].*\n|\n)*)", RegexOptions.Multiline).Groups[1].Value;
        var names = Regex.Matches(services, @"^  ([a-z0-9-]+):", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["nats-1", "nats-2", "nats-3", "postgres", "api", "worker", "prometheus"], names);
        // The roles each Bulwark service runs are valid (ProcessRoles refuses an unknown one at start-up).
        var roles = Regex.Matches(yaml, @"Bulwark__Roles:\s*(\S+)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["api,scheduler,webhooks", "worker"], roles);
        foreach (var r in roles)
            ProcessRoles.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [ProcessRoles.Key] = r }).Build());
        // Three NATS nodes routed to each other, and the stream kept on all three.
        Assert.Equal(3, Regex.Matches(yaml, @"--routes"", ""nats://nats-1:6222,nats://nats-2:6222,nats://nats-3:6222""").Count);
        Assert.Matches(@"Bulwark__Queue__JetStream__Replicas: ""3""", yaml);
        Assert.Contains("dockerfile: deploy/Dockerfile", yaml);
        Assert.True(File.Exists(RepoFile("deploy", "Dockerfile")));
        var prometheus = File.ReadAllText(RepoFile("deploy", "prometheus.yml"));
        Assert.Equal(2, Regex.Matches(prometheus, @"metrics_path: /metrics").Count);
    }
}
