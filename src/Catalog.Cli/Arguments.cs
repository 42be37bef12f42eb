using Catalog.Pricing;

namespace Catalog.Cli;

/// <summary>A usage mistake on the command line: reported with the command's usage, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The arguments of one command: positionals, <c>--name value</c> (or <c>--name=value</c>) options and
/// <c>--flag</c> switches. Each command declares what it accepts, so a typo gets a "did you mean".
/// </summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private Arguments(List<string> positionals) => Positionals = positionals;

    public IReadOnlyList<string> Positionals { get; }

    public static Arguments Parse(IReadOnlyList<string> args, string[] valueOptions, string[] flags)
    {
        var positionals = new List<string>();
        var parsed = new Arguments(positionals);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                positionals.Add(arg);
                continue;
            }

            var equals = arg.IndexOf('=');
            var name = equals < 0 ? arg[2..] : arg[2..equals];
            if (Array.IndexOf(flags, name) >= 0 && equals < 0)
            {
                parsed._flags.Add(name);
            }
            else if (Array.IndexOf(valueOptions, name) >= 0)
            {
                var value = equals >= 0 ? arg[(equals + 1)..] : i + 1 < args.Count ? args[++i] : throw new UsageException($"--{name} needs a value");
                if (!parsed._values.TryGetValue(name, out var values))
                {
                    parsed._values[name] = values = [];
                }

                values.Add(value);
            }
            else
            {
                var known = valueOptions.Concat(flags).ToArray();
                var nearest = NameSuggestions.Nearest(name, known);
                var hint = nearest is null ? string.Empty : $"; did you mean --{nearest}?";
                var options = known.Length == 0 ? "it takes no options" : "options: " + string.Join(", ", known.Select(k => "--" + k));
                throw new UsageException($"unknown option --{name}{hint} ({options})");
            }
        }

        return parsed;
    }

    public bool Flag(string name) => _flags.Contains(name);

    /// <summary>The option's value; given twice, the last one.</summary>
    public string? Value(string name) => _values.TryGetValue(name, out var values) ? values[^1] : null;

    /// <summary>Every value of an option that may be given more than once (<c>--against a=x --against b=y</c>).</summary>
    public IReadOnlyList<string> Values(string name) => _values.TryGetValue(name, out var values) ? values : [];

    public long? Count(string name)
    {
        var text = Value(name);
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value > TokenUsage.MaxTokens)
        {
            throw new UsageException($"--{name} must be a whole number of tokens from 0 to {TokenUsage.MaxTokens}, not '{text}'");
        }

        return value;
    }

    public string Positional(int index, string what) =>
        index < Positionals.Count ? Positionals[index] : throw new UsageException($"missing {what}");

    public void NoMorePositionalsThan(int count)
    {
        if (Positionals.Count > count)
        {
            throw new UsageException($"unexpected argument '{Positionals[count]}'");
        }
    }
}
