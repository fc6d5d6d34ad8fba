import QRCode from 'qrcode';

/**
 * The enrolment address as an SVG QR code, drawn on the server: the page needs no script and asks
 * nothing of another origin. Error correction M, the size authenticator apps read from a screen.
 */
export async function qrSvg(text: string): Promise<string> {
	return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } });
}
