namespace Bulwark.Matching.Tests;
public class SmokeTests { [Fact] public void Builds() => Assert.NotNull(typeof(MatchingAssembly)); }
