using System;
using System.Text.RegularExpressions;

namespace Catalog.Catalogue.Parsing
{
    /// <summary>
    /// A catalogue's <c>match.regex</c>: .NET syntax, matched against the whole name, case-sensitive, by the
    /// non-backtracking engine (time linear in the name's length: no pattern can make a lookup hang).
    /// The build checks each pattern with <see cref="Error"/>; the engine compiles them with <see cref="Create"/>.
    /// </summary>
    public static class MatchRegex
    {
        /// <summary>RegexOptions.NonBacktracking (.NET 7 and later), named by value: this assembly targets netstandard2.0.</summary>
        private const RegexOptions NonBacktracking = (RegexOptions)1024;

        /// <summary>The whole-name regex of <paramref name="pattern"/>.</summary>
        /// <exception cref="ArgumentException">The pattern is not valid (<see cref="Error"/> says why).</exception>
        public static Regex Create(string pattern)
        {
            var whole = @"\A(?:" + pattern + @")\z";
            try
            {
                return new Regex(whole, RegexOptions.CultureInvariant | NonBacktracking);
            }
            catch (ArgumentOutOfRangeException ex) when (ex.ParamName == "options")
            {
                // A runtime older than .NET 7 (a build inside Visual Studio on .NET Framework): checked with the backtracking engine.
                return new Regex(whole, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            }
        }

        /// <summary>Why <paramref name="pattern"/> cannot be a match regex, or null when it can.</summary>
        public static string? Error(string pattern)
        {
            if (pattern.Length == 0)
            {
                return "is empty";
            }

            try
            {
                _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
                Create(pattern);
                return null;
            }
            catch (NotSupportedException ex)
            {
                return $"uses a construct the non-backtracking engine cannot run ({ex.Message})";
            }
            catch (ArgumentException ex)
            {
                return $"is not a valid regular expression ({ex.Message})";
            }
        }
    }
}
