// Inline SVG icons: the machine a browser runs on may have no emoji font.
const base = { 'aria-hidden': true, focusable: false, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 2,
  strokeLinecap: 'round', strokeLinejoin: 'round' } as const;

export const ChatIcon = ({ size = 22 }: { size?: number }) => (
  <svg {...base} width={size} height={size}><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z" /></svg>
);

export const LockIcon = () => (
  <svg {...base} width={14} height={14}><rect x="5" y="11" width="14" height="10" rx="2" /><path d="M8 11V7a4 4 0 0 1 8 0v4" /></svg>
);

export const HashIcon = () => (
  <svg {...base} width={14} height={14}><path d="M5 9h14M5 15h14M10 3 8 21M16 3l-2 18" /></svg>
);

export const RoomIcon = ({ visibility }: { visibility: 'public' | 'private' }) => (
  <span className="room-icon">{visibility === 'private' ? <LockIcon /> : <HashIcon />}</span>
);
