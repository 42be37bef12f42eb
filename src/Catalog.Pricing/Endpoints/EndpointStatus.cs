namespace Catalog.Pricing;

/// <summary>The statuses Hugging Face reports for an Inference Endpoint.</summary>
public enum EndpointStatus
{
    Pending,
    Initializing,
    Updating,
    Running,
    Paused,
    Failed,
    ScaledToZero,
}

public static class EndpointStatuses
{
    /// <summary>The statuses as Hugging Face spells them.</summary>
    public static readonly string[] Names = ["pending", "initializing", "updating", "running", "paused", "failed", "scaledToZero"];

    /// <summary>Hugging Face bills the minutes an endpoint initializes, updates or runs, and nothing else.</summary>
    public static bool IsBilled(this EndpointStatus status) =>
        status is EndpointStatus.Initializing or EndpointStatus.Updating or EndpointStatus.Running;

    public static string ToWire(this EndpointStatus status) => Names[(int)status];

    /// <summary>Reads a status, ignoring case and the separators of other spellings ("scaled_to_zero").</summary>
    public static bool TryParse(string text, out EndpointStatus status)
    {
        var compact = text.Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        var index = Array.FindIndex(Names, name => string.Equals(name, compact, StringComparison.OrdinalIgnoreCase));
        status = (EndpointStatus)Math.Max(index, 0);
        return index >= 0;
    }
}

/// <summary>A status change as Hugging Face reports it: from <see cref="At"/> on, the endpoint is <see cref="Status"/> with <see cref="Replicas"/> replicas.</summary>
public readonly record struct EndpointEvent(DateTimeOffset At, EndpointStatus Status, int Replicas);

/// <summary>What the usage ledger knows of the tokens an endpoint served in a period (a decimal sum: exact past 64 bits).</summary>
public sealed record EndpointUsage(decimal Tokens, DateTimeOffset? LastUsedAt);
