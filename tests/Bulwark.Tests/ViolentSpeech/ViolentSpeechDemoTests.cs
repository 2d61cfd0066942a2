using Bulwark.Core.Storage;
using Bulwark.Server.Hosting;
using Bulwark.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bulwark.Tests.ViolentSpeech;

/// <summary>Issue 15's "done when": the demo shows an English and an Italian threat escalated, with the analyser's explanation.</summary>
public class ViolentSpeechDemoTests
{
    [Fact]
    public async Task The_demo_threats_in_English_and_Italian_are_restricted_and_escalated_with_the_analysers_explanation()
    {
        await using var host = await ApiHost.StartAsync(DatabaseProvider.Sqlite);
        await host.Services.GetRequiredService<DemoSeeder>().SeedAsync(default);
        foreach (var (id, language, _) in DemoSeeder.ThreatItems)
        {
            var item = await host.WaitForStatusAsync(id);
            var decision = item.GetProperty("decision");
            Assert.Equal("escalate", decision.GetProperty("outcome").GetString());
            Assert.Equal("threat-to-life", decision.GetProperty("queue").GetString());
            Assert.Contains(decision.GetProperty("actions").EnumerateArray(), a => a.GetProperty("kind").GetString() == "content.remove");
            var threat = Assert.Single(item.GetProperty("signals").EnumerateArray(), s => s.GetProperty("type").GetString() == "speech.threat");
            Assert.Contains($"lang:{language}", threat.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
            var explanation = decision.GetProperty("explanation").GetString()!;
            Assert.Contains("threat-to-life-explicit", explanation);
            // What fired, in the text's own words: the act, the target, the place and the time.
            var fired = decision.GetProperty("fired").EnumerateArray().Single(f => f.GetProperty("rule").GetString() == "threat-to-life-explicit");
            var input = fired.GetProperty("inputs").EnumerateArray().Select(i => i.GetString()!).Single(i => i.StartsWith("speech.threat:", StringComparison.Ordinal));
            Assert.Contains(language == "it" ? "'accoltello'" : "stab'", input);
            Assert.Contains(language == "it" ? "'il professore'" : "'the teacher'", input);
            Assert.Contains(language == "it" ? "davanti alla classe" : "in front of the class", input);
        }
    }
}
