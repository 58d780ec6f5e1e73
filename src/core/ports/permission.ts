/**
 * What to tell a user whose serial port cannot be opened for lack of permission. Shared by flashing (TinyGo's
 * 1200-baud reset opens the port) and the monitor, so the advice is the same wherever it shows up.
 */
export function serialPermissionHelp(port: string, platform: NodeJS.Platform = process.platform): string {
  const where = port ? `${port}` : 'the serial port';
  if (platform === 'linux') {
    return (
      `Permission denied opening ${where}. Serial ports belong to the group "dialout" on Debian, Ubuntu and Fedora ` +
      `("uucp" on Arch and Manjaro). Add yourself with \`sudo usermod -aG dialout $USER\` (or \`-aG uucp\`), then log ` +
      `out and back in; \`ls -l ${port || '/dev/ttyACM0'}\` shows the group the port really has.`
    );
  }
  if (platform === 'darwin') {
    return `Permission denied opening ${where}. Another program may hold it (a serial monitor, or a previous tinygo monitor); close it and retry.`;
  }
  return `Access denied opening ${where}. Another program probably holds the port; close it and retry.`;
}
