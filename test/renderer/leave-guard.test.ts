import { describe, expect, test } from 'vitest';
import { LeaveGuard } from '../../renderer/app/leave-guard.js';

describe('LeaveGuard', () => {
  test('nothing changed: every move goes at once and nothing is asked', () => {
    const guard = new LeaveGuard();
    guard.register(() => false);
    expect(guard.mayLeaveFor('/groups')).toBe(true);
    expect(guard.pending()).toBeNull();
    expect(guard.hasUnsavedChanges()).toBe(false);
  });

  test('a changed form holds the move until the person answers; stay keeps it, leave lets that move pass once', () => {
    const guard = new LeaveGuard();
    let dirty = true;
    guard.register(() => dirty);
    let notified = 0;
    guard.subscribe(() => notified++);

    expect(guard.mayLeaveFor('/groups')).toBe(false);
    expect(guard.pending()).toBe('/groups');
    guard.stay();
    expect(guard.pending()).toBeNull();
    expect(guard.mayLeaveFor('/groups')).toBe(false);

    expect(guard.leave()).toBe('/groups');
    expect(guard.pending()).toBeNull();
    // The hash change that follows "leave" passes; the form is still registered and changed.
    expect(guard.mayLeaveFor('/groups')).toBe(true);
    // Only once: another move asks again.
    expect(guard.mayLeaveFor('/groups')).toBe(false);
    expect(notified).toBe(5); // asked, stayed, asked, left, asked

    dirty = false; // saved
    guard.stay();
    expect(guard.mayLeaveFor('/rights')).toBe(true);
  });

  test('the answer is read when leaving, and an unregistered form no longer counts', () => {
    const guard = new LeaveGuard();
    let dirty = false;
    const unregister = guard.register(() => dirty);
    dirty = true;
    expect(guard.hasUnsavedChanges()).toBe(true);
    unregister();
    expect(guard.hasUnsavedChanges()).toBe(false);
    expect(guard.mayLeaveFor('/users')).toBe(true);
  });

  test('a move agreed in advance (a deleted record) passes without a question', () => {
    const guard = new LeaveGuard();
    guard.register(() => true);
    guard.allowOnce('/users');
    expect(guard.mayLeaveFor('/users')).toBe(true);
    expect(guard.pending()).toBeNull();
  });

  test('a dialog with an unchanged form closes at once; a changed one asks, and closes only on "discard"', async () => {
    const guard = new LeaveGuard();
    let dirty = false;
    guard.register(() => dirty);
    let closed = 0;
    const close = () => closed++;

    guard.requestClose(close);
    expect(closed).toBe(1);
    expect(guard.question()).toBeNull();

    dirty = true;
    guard.requestClose(close);
    expect(closed).toBe(1);
    expect(guard.question()).toBe('close');
    expect(guard.pending()).toBeNull(); // no page move waits: the router has nothing to do
    guard.stay();
    expect(guard.question()).toBeNull();
    expect(closed).toBe(1);
    // The same key press reaches the dialog under the question: it does not ask again.
    guard.requestClose(close);
    expect(guard.question()).toBeNull();
    await new Promise((resolve) => setTimeout(resolve));

    guard.requestClose(close);
    expect(guard.leave()).toBeNull();
    expect(closed).toBe(2);
    expect(guard.question()).toBeNull();
  });
});
