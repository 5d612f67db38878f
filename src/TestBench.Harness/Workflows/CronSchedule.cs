using NCrontab;

namespace TestBench.Harness.Workflows;

/// <summary>
/// A task schedule as Wallaroo takes it: Kubernetes CronJob syntax, 5 fields (minute hour day-of-month month
/// day-of-week). Its ticks can be computed on a clock whose minute is shorter than a real one (the embedded service's
/// test hook), from the moment the schedule started.
/// </summary>
public sealed class CronSchedule
{
    private readonly CrontabSchedule cron;

    private CronSchedule(string text, CrontabSchedule cron)
    {
        Text = text;
        this.cron = cron;
    }

    public string Text { get; }

    /// <exception cref="ArgumentException">It is not a 5-field schedule; the message quotes it and says why.</exception>
    public static CronSchedule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields != 5)
        {
            throw new ArgumentException($"'{text}' has {fields} field{(fields == 1 ? "" : "s")}; a schedule has 5: minute hour day-of-month month day-of-week (e.g. */5 * * * *)");
        }

        // Kubernetes' parser (robfig/cron) refuses a step of 0 ("*/0"); NCrontab need not, so it is checked here.
        var names = new[] { "minute", "hour", "day-of-month", "month", "day-of-week" };
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Split(',').Any(range => range.Split('/') is [_, var step] && int.TryParse(step, System.Globalization.CultureInfo.InvariantCulture, out var by) && by <= 0))
            {
                throw new ArgumentException($"'{text}' steps by 0 in its {names[i]} field; Kubernetes refuses a step that is not positive");
            }
        }

        try
        {
            return new CronSchedule(text, CrontabSchedule.Parse(text));
        }
        catch (CrontabException e)
        {
            throw new ArgumentException($"'{text}' is not a valid cron schedule: {e.Message.Split(Environment.NewLine)[0]}", e);
        }
    }

    /// <summary>The first tick after <paramref name="after"/>.</summary>
    public DateTimeOffset Next(DateTimeOffset after) => new(cron.GetNextOccurrence(after.UtcDateTime), TimeSpan.Zero);

    /// <summary>
    /// The ticks in real time of a schedule started at <paramref name="origin"/> on a clock whose minute lasts
    /// <paramref name="minute"/>: that clock reads <paramref name="origin"/> at the start and runs 1 min / minute times as fast.
    /// </summary>
    public IEnumerable<DateTimeOffset> Ticks(DateTimeOffset origin, TimeSpan minute)
    {
        var speed = TimeSpan.FromMinutes(1) / minute;
        for (var scheduled = Next(origin); ; scheduled = Next(scheduled))
        {
            yield return origin + ((scheduled - origin) / speed);
        }
    }
}
