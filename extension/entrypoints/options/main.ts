import { createApp } from 'vue';
import { createPinia } from 'pinia';
import '@/assets/base.css';
import '@/assets/admin.css';
import { createAdminRouter } from '@/admin/routes';
import App from './App.vue';

createApp(App).use(createPinia()).use(createAdminRouter()).mount('#app');
