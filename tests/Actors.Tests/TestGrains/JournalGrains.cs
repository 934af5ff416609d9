using System.Text.Json.Serialization;
using CareTwin.Actors.EventSourcing;

namespace CareTwin.Actors.Tests.TestGrains;

[JsonPolymorphic(TypeDiscriminatorPropertyName = "$type")]
[JsonDerivedType(typeof(Deposited), "deposited")]
[JsonDerivedType(typeof(Withdrawn), "withdrawn")]
public abstract record AccountEvent;

public sealed record Deposited(decimal Amount, string Note) : AccountEvent;

public sealed record Withdrawn(decimal Amount) : AccountEvent;

public sealed class AccountState
{
    public decimal Balance { get; set; }

    public List<string> Notes { get; set; } = [];
}

public sealed record AccountView(decimal Balance, int Version, IReadOnlyList<string> Notes);

public interface IAccountGrain : IGrainWithStringKey
{
    Task<AccountView> Deposit(decimal amount, string note);

    Task<AccountView> DepositMany(int count);

    Task<AccountView> Withdraw(decimal amount);

    Task<AccountView> View();

    Task<IReadOnlyList<AccountEvent>> History(int from, int to);

    /// <summary>Events applied since this activation started (so a snapshot's effect shows).</summary>
    Task<int> TransitionsSinceActivation();
}

public class AccountGrain : JournaledGrain<AccountState, AccountEvent>, IAccountGrain
{
    private int _transitions;

    public async Task<AccountView> Deposit(decimal amount, string note)
    {
        RaiseEvent(new Deposited(amount, note));
        await ConfirmEvents();
        return Snapshot();
    }

    public async Task<AccountView> DepositMany(int count)
    {
        for (var i = 0; i < count; i++) RaiseEvent(new Deposited(1, $"deposit {i}"));
        await ConfirmEvents();
        return Snapshot();
    }

    public async Task<AccountView> Withdraw(decimal amount)
    {
        if (amount > State.Balance) throw new InvalidOperationException($"Balance {State.Balance} is less than {amount}.");
        RaiseEvent(new Withdrawn(amount));
        await ConfirmEvents();
        return Snapshot();
    }

    public Task<AccountView> View() => Task.FromResult(Snapshot());

    public Task<IReadOnlyList<AccountEvent>> History(int from, int to) => RetrieveConfirmedEvents(from, to);

    public Task<int> TransitionsSinceActivation() => Task.FromResult(_transitions);

    protected override void TransitionState(AccountState state, AccountEvent @event)
    {
        _transitions++;
        switch (@event)
        {
            case Deposited d:
                state.Balance += d.Amount;
                state.Notes.Add(d.Note);
                break;
            case Withdrawn w:
                state.Balance -= w.Amount;
                break;
        }
    }

    private AccountView Snapshot() => new(State.Balance, Version, State.Notes.ToList());
}
