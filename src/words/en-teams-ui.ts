/** Words of the Teams dialogs, file consent, mentions outside the personal chat, the welcome and the home card. */
export const teamsUiWords = {
  teamsUi: {
    answered_in_personal: 'I have answered you in our personal chat.',
    open_personal_first: 'Please open a personal chat with DutyDesk (Apps, then DutyDesk) and ask me there: case details stay in personal chats.',
    asked_elsewhere: 'You asked in another chat; here is my answer.',
    open_dialog: 'Open in a dialog',
    file_offer: 'Accept to save {{filename}} to your OneDrive. It holds case detail: keep it in line with your data-handling rules.',
    file_declined: 'You declined the file {{filename}}: nothing was saved. Run cases {{crn}} export again if you need it.',
    file_gone: 'This file offer has expired or was already answered. Run cases CRN export again.',
    file_refused: 'You no longer have a role on {{crn}}: the file was not saved.',
    file_failed: 'The file could not be saved to your OneDrive. Run cases {{crn}} export again.',
    welcome_title: 'Welcome to DutyDesk',
    welcome_text: 'I chase risk escalations and referrals until someone acts. Type a command here, or @mention me in a group chat or channel and I answer you here.',
    welcome_home: 'Type home at any time for what you owe, overdue first.',
    home_board: 'The managers’ board (your units, every item and the weekly reports): {{url}}/board',
    home_title: 'DutyDesk home',
    home_help: 'What I owe, overdue first (the same queue as the Slack App Home)',
  },
};
