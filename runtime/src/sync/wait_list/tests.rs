use std::ptr::NonNull;

use super::{Node, WaitList};

fn ptr(node: &Node<u32>) -> NonNull<Node<u32>> {
    NonNull::from(node)
}

fn value(list: &mut WaitList<u32>, node: NonNull<Node<u32>>) -> u32 {
    // SAFETY: the nodes in these tests outlive the list operations and the
    // test thread is the only user.
    unsafe { list.with_value(node, |v| *v) }
}

#[test]
fn pops_in_fifo_order() {
    let nodes = [Node::new(1), Node::new(2), Node::new(3)];
    let mut list = WaitList::new();
    assert!(list.is_empty());
    for node in &nodes {
        // SAFETY: `nodes` does not move while linked and outlives `list`.
        unsafe { list.push_back(ptr(node)) };
    }
    assert!(!list.is_empty());
    let mut seen = Vec::new();
    while let Some(node) = list.pop_front() {
        seen.push(value(&mut list, node));
    }
    assert_eq!(seen, [1, 2, 3]);
    assert!(list.is_empty());
}

#[test]
fn pop_back_takes_the_newest() {
    let nodes = [Node::new(1), Node::new(2)];
    let mut list = WaitList::new();
    for node in &nodes {
        // SAFETY: as above.
        unsafe { list.push_back(ptr(node)) };
    }
    let back = list.pop_back().unwrap();
    assert_eq!(value(&mut list, back), 2);
    let front = list.front().unwrap();
    assert_eq!(value(&mut list, front), 1);
    assert_eq!(list.pop_back(), Some(front));
    assert_eq!(list.pop_back(), None);
}

#[test]
fn remove_unlinks_from_anywhere_once() {
    let nodes = [Node::new(1), Node::new(2), Node::new(3), Node::new(4)];
    let mut list = WaitList::new();
    for node in &nodes {
        // SAFETY: as above.
        unsafe { list.push_back(ptr(node)) };
    }
    // SAFETY: every node is linked in `list` or in no list.
    unsafe {
        assert!(list.remove(ptr(&nodes[1])));
        assert!(!list.remove(ptr(&nodes[1])));
        assert!(!list.is_linked(ptr(&nodes[1])));
        assert!(list.remove(ptr(&nodes[3])));
        assert!(list.remove(ptr(&nodes[0])));
        assert!(list.is_linked(ptr(&nodes[2])));
    }
    assert_eq!(list.pop_front(), Some(ptr(&nodes[2])));
    assert!(list.is_empty());
    // A removed node can be linked again.
    // SAFETY: as above.
    unsafe { list.push_back(ptr(&nodes[1])) };
    assert_eq!(list.pop_front(), Some(ptr(&nodes[1])));
}

#[test]
fn with_value_mutates_the_payload() {
    let node = Node::new(10);
    let mut list = WaitList::new();
    // SAFETY: `node` outlives the list use.
    unsafe {
        list.push_back(ptr(&node));
        list.with_value(ptr(&node), |v| *v += 5);
    }
    let popped = list.pop_front().unwrap();
    assert_eq!(value(&mut list, popped), 15);
}
