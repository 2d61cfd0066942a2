namespace Bulwark.Matching;

/// <summary>Marker for the matching kernels assembly.</summary>
public static class MatchingAssembly;
