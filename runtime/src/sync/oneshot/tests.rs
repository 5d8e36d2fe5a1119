use super::state::State;

#[test]
fn value_is_published_only_while_open() {
    let state = State::new();
    let previous = state.complete_with_value().unwrap();
    assert!(!previous.is_complete());
    let now = state.load();
    assert!(now.is_complete() && now.has_value() && !now.is_closed());

    let closed = State::new();
    closed.close();
    let refused = closed.complete_with_value().unwrap_err();
    assert!(refused.is_closed());
    assert!(
        !closed.load().has_value(),
        "a refused value must not look sent"
    );
}

#[test]
fn waker_bits_are_independent_of_completion() {
    let state = State::new();
    assert!(!state.set_rx_waker().rx_waker_set());
    assert!(!state.set_tx_waker().tx_waker_set());
    let previous = state.complete();
    assert!(previous.rx_waker_set() && previous.tx_waker_set());
    let previous = state.clear_rx_waker();
    assert!(previous.is_complete() && previous.rx_waker_set());
    assert!(!state.load().rx_waker_set());
    assert!(state.load().tx_waker_set());
    assert!(!state.clear_tx_waker().has_value());
}
