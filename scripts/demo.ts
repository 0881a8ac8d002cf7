// Placeholder demo: replaced by the identity walk-through (issue 2).
console.log('session-sdk demo: coming with the identity module');
