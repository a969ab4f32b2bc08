// The admin assigns a skill to a basic skill group in the catalog (issue 14): saved under the same
// code, said in the audit log in words. Put back afterwards: other specs use the default catalog.
import { expect, test } from './cspGuard';
import { signIn } from './admin';

test('the admin moves Zalo calls into a basic skill group and back; each change is in the audit log', async ({ page }) => {
	await signIn(page);
	await page.goto('/admin/skills');
	await expect(page.locator('li[data-skill-code]')).toHaveCount(13);
	const zalo = page.locator('li[data-skill-code="zalo_video"]');
	const group = zalo.getByLabel('Nhóm kỹ năng số cơ bản');
	await expect(group).toHaveValue('');
	await group.selectOption('localPlatforms');
	await zalo.getByRole('button', { name: 'Lưu' }).click();
	await expect(zalo.getByRole('status')).toHaveText('Đã lưu danh mục kỹ năng.');
	await page.reload();
	await expect(page.locator('li[data-skill-code="zalo_video"]').getByLabel('Nhóm kỹ năng số cơ bản')).toHaveValue('localPlatforms');

	await page.locator('li[data-skill-code="zalo_video"]').getByLabel('Nhóm kỹ năng số cơ bản').selectOption('');
	await page.locator('li[data-skill-code="zalo_video"]').getByRole('button', { name: 'Lưu' }).click();
	await expect(page.locator('li[data-skill-code="zalo_video"]').getByRole('status')).toBeVisible();

	await page.goto('/admin/audit');
	await expect(page.getByText('Quản trị viên sửa kỹ năng Zalo và gọi video (Sử dụng nền tảng số khác phù hợp với địa phương)').first()).toBeVisible();
	await expect(page.getByText('Quản trị viên sửa kỹ năng Zalo và gọi video (Không thuộc 5 kỹ năng số cơ bản)').first()).toBeVisible();
});
